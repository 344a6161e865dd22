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
 * @param wide whether the output rows are as wide as the padded input: {@code width + 2 padding} positions,
 *             of which the last {@code gridWidth() - outWidth} are not part of the result (only for one-channel,
 *             stride-1 convolutions; see {@link Im2col#unfoldWide})
 */
public record ConvGeometry(int height, int width, int channels, int kernel, int stride, int padding, int dilation,
                           int outHeight, int outWidth, int filters, boolean wide) {

    public ConvGeometry {
        if (wide && !supportsWide(channels, stride)) {
            throw new IllegalArgumentException("wide output rows need one input channel and stride 1, got "
                    + channels + " channels and stride " + stride);
        }
    }

    /** The usual layout: output rows exactly {@code outWidth} positions wide. */
    public ConvGeometry(int height, int width, int channels, int kernel, int stride, int padding, int dilation,
                        int outHeight, int outWidth, int filters) {
        this(height, width, channels, kernel, stride, padding, dilation, outHeight, outWidth, filters, false);
    }

    /** Whether a convolution with these sizes can write wide output rows. */
    public static boolean supportsWide(int channels, int stride) {
        return channels == 1 && stride == 1;
    }

    /**
     * {@return these sizes with {@code count} filters} (the generated second-order passes convolve with the weights
     * and the direction stacked as one filter bank)
     *
     * @param count the filters
     */
    public ConvGeometry withFilters(int count) {
        return new ConvGeometry(height, width, channels, kernel, stride, padding, dilation, outHeight, outWidth, count,
                wide);
    }

    /** Floats of one input image. */
    public int inputSize() {
        return height * width * channels;
    }

    /** Positions per output row: {@code outWidth}, or the padded input's width when {@link #wide}. */
    public int gridWidth() {
        return wide ? width + 2 * padding : outWidth;
    }

    /** Floats of one output image, in its layout. */
    public int outputSize() {
        return outHeight * gridWidth() * filters;
    }

    /** Output positions per image, in its layout: the GEMM rows one image contributes. */
    public int positions() {
        return outHeight * gridWidth();
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
