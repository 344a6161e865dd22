package dev.lamina.processor.graph;

/**
 * The shape of one sample: a vector {@code [features]}, an image {@code [channels, height, width]} or a sequence
 * {@code [steps, features]} ({@code steps > 0}; {@code channels} holds the features), written as PyTorch writes
 * them. Generated code stores images channels last and sequences step after step; that is a layout choice, not a
 * shape.
 */
public record Shape(int channels, int height, int width, boolean image, int steps) {

    public static Shape vector(int features) {
        return new Shape(features, 1, 1, false, 0);
    }

    public static Shape image(int channels, int height, int width) {
        return new Shape(channels, height, width, true, 0);
    }

    public static Shape sequence(int steps, int features) {
        return new Shape(features, 1, 1, false, steps);
    }

    public boolean sequence() {
        return steps > 0;
    }

    /** Features of a vector, or of one step of a sequence. */
    public int features() {
        return channels;
    }

    public int size() {
        return channels * height * width * Math.max(steps, 1);
    }

    /** Positions per channel: height x width (1 for vectors). */
    public int spatial() {
        return height * width;
    }

    public int[] dims() {
        if (sequence()) {
            return new int[] {steps, channels};
        }
        return image ? new int[] {channels, height, width} : new int[] {channels};
    }

    @Override
    public String toString() {
        if (sequence()) {
            return "[" + steps + " steps, " + channels + "]";
        }
        return image ? "[" + channels + ", " + height + ", " + width + "]" : "[" + channels + "]";
    }
}
