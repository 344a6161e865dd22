package dev.lamina.processor.graph;

/**
 * The shape of one sample: a vector {@code [features]} or an image {@code [channels, height, width]}, written as
 * PyTorch writes it. Generated code stores images channels last; that is a layout choice, not a shape.
 */
public record Shape(int channels, int height, int width, boolean image) {

    public static Shape vector(int features) {
        return new Shape(features, 1, 1, false);
    }

    public static Shape image(int channels, int height, int width) {
        return new Shape(channels, height, width, true);
    }

    public int size() {
        return channels * height * width;
    }

    /** Positions per channel: height x width (1 for vectors). */
    public int spatial() {
        return height * width;
    }

    public int[] dims() {
        return image ? new int[] {channels, height, width} : new int[] {channels};
    }

    @Override
    public String toString() {
        return image ? "[" + channels + ", " + height + ", " + width + "]" : "[" + channels + "]";
    }
}
