package dev.lamina.runtime.kernels;

/**
 * The sizes of one pooling over channels-last images, baked into the generated code as a constant.
 *
 * @param height input height
 * @param width input width
 * @param channels channels
 * @param kernel window side
 * @param stride window step
 * @param padding padding on each side (max pooling only)
 * @param outHeight output height (the processor infers it)
 * @param outWidth output width
 * @param rowLength floats from one input row to the next: {@code width * channels}, or more for a convolution's
 *                  {@link ConvGeometry#wide wide} output rows, which a 2x2 max pool fused after it reads
 */
public record PoolGeometry(int height, int width, int channels, int kernel, int stride, int padding, int outHeight,
                           int outWidth, int rowLength) {

    /** Input rows exactly {@code width * channels} floats apart. */
    public PoolGeometry(int height, int width, int channels, int kernel, int stride, int padding, int outHeight,
                        int outWidth) {
        this(height, width, channels, kernel, stride, padding, outHeight, outWidth, width * channels);
    }
}
