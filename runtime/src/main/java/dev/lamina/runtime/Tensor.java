package dev.lamina.runtime;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A named view of part of a flat array (a layer's weights, its gradient, a running mean). Names follow the
 * user's fields: {@code c1.weight}, {@code c1.bias}, {@code bn1.running_mean}; checkpoints key on them.
 *
 * <p>Layouts: dense weights {@code [units, inputs]}; convolution weights {@code [filters, kh, kw, channels]}
 * (channels last, like the activations; PyTorch stores {@code [filters, channels, kh, kw]}).
 */
public final class Tensor {
    /** What a tensor is, so that regularizers and weight decay touch weights only. */
    public enum Kind { WEIGHT, BIAS, SCALE, SHIFT, STATISTIC }

    private final String name;
    private final Kind kind;
    private final int[] shape;
    private final int offset;
    private final int length;
    private final FloatBuffer data;

    public Tensor(String name, Kind kind, int[] shape, int offset, FloatBuffer data) {
        this.name = name;
        this.kind = kind;
        this.shape = shape.clone();
        this.offset = offset;
        this.length = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        this.data = data;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Position of the first element in the flat array this tensor is a view of. */
    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public float get(int i) {
        return data.get(offset + checkIndex(i));
    }

    public void set(int i, float value) {
        data.put(offset + checkIndex(i), value);
    }

    public float[] toArray() {
        float[] out = new float[length];
        data.get(offset, out, 0, length);
        return out;
    }

    public void copyFrom(float[] values) {
        if (values.length != length) {
            throw new IllegalArgumentException(name + " holds " + length + " values " + Arrays.toString(shape)
                    + ", got " + values.length);
        }
        data.put(offset, values, 0, length);
    }

    /** The same view over another flat array of the same layout (the gradients' twin of a parameter). */
    public Tensor over(FloatBuffer other, String otherName) {
        return new Tensor(otherName, kind, shape, offset, other);
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException(name + ": index " + i + " outside [0, " + length + ")");
        }
        return i;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
