package dev.lamina.processor.check;

/**
 * One integer attribute of a layer as {@link PositiveSizes} and {@link SizesInRange} check it: its name as the user
 * wrote it, its value, the least value it may take and its bound above. A kind lists its sizes
 * ({@code OpKind.sizes}); a size whose rule is of its own (a pool's padding) is left out and checked by the kind's
 * {@code sizeErrors}.
 */
public record Size(String name, int value, Least least, Most most) {
    /** The least value: 1, 0, or none checked here. */
    public enum Least { ONE, ZERO, ANY }

    /** The bound above ({@link SizesInRange}'s limits): a window attribute, a width, a stage's repeat, or none. */
    public enum Most { WINDOW, WIDTH, REPEAT, NONE }

    /** A width (units, filters, dim): positive, at most {@value SizesInRange#MAX_WIDTH}. */
    public static Size width(String name, int value) {
        return new Size(name, value, Least.ONE, Most.WIDTH);
    }

    /** A window attribute (kernel, stride, dilation, scale): positive, at most {@value SizesInRange#MAX_WINDOW}. */
    public static Size window(String name, int value) {
        return new Size(name, value, Least.ONE, Most.WINDOW);
    }

    /** A convolution's padding: not negative, at most {@value SizesInRange#MAX_WINDOW}. */
    public static Size padding(int value) {
        return new Size("padding", value, Least.ZERO, Most.WINDOW);
    }
}
