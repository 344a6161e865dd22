package dev.lamina.gpu;

import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuInit;

import jcuda.CudaException;
import jcuda.driver.JCudaDriver;

/**
 * The entry to the GPU: whether the CUDA driver and a device are there, and a {@link CudaDevice} to work on.
 *
 * <p>Lamina uses the driver API only (kernels arrive as PTX that the Maven plugin built with nvcc), so a machine
 * needs the NVIDIA driver ({@code libcuda.so.1}) and no CUDA toolkit. The probe runs once per process; its
 * outcome, with the reason when the answer is no, is kept.
 */
public final class Cuda {
    private static String unavailable;
    private static int devices = -1;

    private Cuda() {
    }

    /** {@return whether the driver loads and reports at least one device} */
    public static synchronized boolean available() {
        probe();
        return unavailable == null;
    }

    /**
     * Why {@link #available()} is false (null when it is true).
     *
     * @return the reason, or null
     */
    public static synchronized String unavailableReason() {
        probe();
        return unavailable;
    }

    /**
     * Devices the driver reports (0 when it does not load).
     *
     * @return the number of devices
     */
    public static synchronized int deviceCount() {
        probe();
        return Math.max(devices, 0);
    }

    /**
     * {@return a context and a stream on device {@code index}}
     *
     * @param index the device's ordinal, in {@code [0, deviceCount())}
     * @throws GpuUnavailableException when there is no driver, no device, or no device of that index
     */
    public static synchronized CudaDevice open(int index) {
        probe();
        if (unavailable != null) {
            throw new GpuUnavailableException(unavailable);
        }
        if (index < 0 || index >= devices) {
            throw new GpuUnavailableException("CUDA device " + index + " asked for, but the driver reports "
                    + devices + " device(s): use an index from 0 to " + (devices - 1));
        }
        return new CudaDevice(index);
    }

    private static void probe() {
        if (devices >= 0 || unavailable != null) {
            return;
        }
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] count = new int[1];
            cuDeviceGetCount(count);
            devices = count[0];
            if (devices == 0) {
                unavailable = "the NVIDIA driver (libcuda.so.1) loaded, but it reports no CUDA device";
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            devices = 0;
            unavailable = "no NVIDIA driver: JCuda's driver library needs libcuda.so.1 (the NVIDIA driver, not the "
                    + "CUDA toolkit) on the library path, and loading it failed: " + firstLine(e.getMessage());
        } catch (CudaException e) {
            devices = 0;
            unavailable = "the NVIDIA driver did not initialise (cuInit): " + e.getMessage();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
