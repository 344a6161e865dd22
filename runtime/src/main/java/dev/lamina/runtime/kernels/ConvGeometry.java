package dev.lamina.runtime.kernels;

/**
 * The sizes of one 2D convolution over channels-last images, baked into the generated code as a constant.
 *
 * @param height input height
 * @param width input width
 * @param channels input channels
 * @param kernel kernel side
 * @param outHeight output height (the processor infers it)
 * @param outWidth output width
 * @param filters output channels
 */
public record ConvGeometry(int height, int width, int channels, int kernel, int stride, int padding, int dilation,
                           int outHeight, int outWidth, int filters) {

    /** Floats of one input image. */
    public int inputSize() {
        return height * width * channels;
    }

    /** Floats of one output image. */
    public int outputSize() {
        return outHeight * outWidth * filters;
    }

    /** Output positions per image: the GEMM rows one image contributes. */
    public int positions() {
        return outHeight * outWidth;
    }

    /** Length of one im2col row: a receptive field, {@code kernel x kernel x channels}. */
    public int fieldSize() {
        return kernel * kernel * channels;
    }

    /** A 1x1 convolution with stride 1 and no padding reads its input as the column matrix directly. */
    public boolean needsColumns() {
        return !(kernel == 1 && stride == 1 && padding == 0);
    }
}
