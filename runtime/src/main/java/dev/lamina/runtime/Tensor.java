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
    public enum Kind {
        /** A dense layer's weight matrix or a convolution's kernels: what regularizers and weight decay act on. */
        WEIGHT,
        /** A layer's additive bias. */
        BIAS,
        /** A normalisation's learned per-channel scale ({@code gamma}). */
        SCALE,
        /** A normalisation's learned per-channel shift ({@code beta}). */
        SHIFT,
        /** A running statistic (batch norm's mean or variance): saved and loaded, never trained. */
        STATISTIC
    }

    private final String name;
    private final Kind kind;
    private final int[] shape;
    private final int offset;
    private final int length;
    private final FloatBuffer data;

    /**
     * A view of {@code data[offset, offset + product(shape))}; {@code shape} is copied, {@code data} is shared.
     *
     * @param name the checkpoint name ({@code c1.weight})
     * @param kind what the tensor is
     * @param shape its dimensions
     * @param offset where it starts in {@code data}, in floats
     * @param data the flat array it is a view of
     */
    public Tensor(String name, Kind kind, int[] shape, int offset, FloatBuffer data) {
        this.name = name;
        this.kind = kind;
        this.shape = shape.clone();
        this.offset = offset;
        this.length = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        this.data = data;
    }

    /**
     * {@return the checkpoint name: the layer's field and the tensor, as {@code c1.weight} or {@code bn1.running_var}}
     */
    public String name() {
        return name;
    }

    /** {@return what the tensor is (regularizers and weight decay touch {@link Kind#WEIGHT} only)} */
    public Kind kind() {
        return kind;
    }

    /** {@return the tensor's dimensions (see the class comment for the layouts); a copy} */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return position of the first element in the flat array this tensor is a view of} */
    public int offset() {
        return offset;
    }

    /** {@return number of floats: the product of {@link #shape()}} */
    public int length() {
        return length;
    }

    /**
     * Element {@code i} in flat (row-major) order; throws {@link IndexOutOfBoundsException} outside {@code [0,
     * length())}.
     *
     * @param i the flat index
     * @return the element
     */
    public float get(int i) {
        return data.get(offset + checkIndex(i));
    }

    /**
     * Writes element {@code i} in flat (row-major) order; throws {@link IndexOutOfBoundsException} outside {@code [0,
     * length())}.
     *
     * @param i the flat index
     * @param value the new value
     */
    public void set(int i, float value) {
        data.put(offset + checkIndex(i), value);
    }

    /** {@return a copy of the tensor's values in flat (row-major) order} */
    public float[] toArray() {
        float[] out = new float[length];
        data.get(offset, out, 0, length);
        return out;
    }

    /**
     * Overwrites the tensor with {@code values} in flat order; throws {@link IllegalArgumentException} unless it has
     * exactly {@link #length()} values.
     *
     * @param values exactly {@link #length()} values in flat order
     */
    public void copyFrom(float[] values) {
        if (values.length != length) {
            throw new IllegalArgumentException(name + " holds " + length + " values " + Arrays.toString(shape)
                    + ", got " + values.length);
        }
        data.put(offset, values, 0, length);
    }

    /**
     * {@return the same view over another flat array of the same layout (the gradients' twin of a parameter)}
     *
     * @param other the other flat array
     * @param otherName the view's name
     */
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
