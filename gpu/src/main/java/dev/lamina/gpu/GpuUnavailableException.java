package dev.lamina.gpu;

/**
 * No GPU path here: no NVIDIA driver, no CUDA device, or a network built without kernels. The message says what
 * was looked for and what was found, so that a user knows whether to install a driver, pick another device, or
 * rebuild with nvcc on the path.
 */
public final class GpuUnavailableException extends RuntimeException {
    /**
     * With a message that says what was looked for and what was found.
     *
     * @param message what was looked for and what was found
     */
    public GpuUnavailableException(String message) {
        super(message);
    }

    /**
     * With a message that says what was looked for and what was found, and the driver's error as the cause.
     *
     * @param message what was looked for and what was found
     * @param cause the driver's error
     */
    public GpuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
