package dev.lamina.runtime;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A named view of part of a flat array (a layer's weights, its gradient, a running mean). Names follow the
 * user's fields: {@code c1.weight}, {@code c1.bias}, {@code bn1.running_mean}; checkpoints key on them.
 *
 * <p>Layouts: dense weights {@code [units, inputs]}; convolution weights {@code [filters, kh, kw, channels]}
 * (channels last, like the activations; PyTorch stores {@code [filters, channels, kh, kw]}). Where PyTorch's
 * equivalent tensor differs in name, shape or order, the generated network declares it as the tensor's
 * {@link #fileLayout()}: checkpoints hold that layout, memory keeps this one.
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
    private final FileLayout fileLayout;

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
        this(name, kind, shape, offset, data, null);
    }

    private Tensor(String name, Kind kind, int[] shape, int offset, FloatBuffer data, FileLayout fileLayout) {
        this.name = name;
        this.kind = kind;
        this.shape = shape.clone();
        this.offset = offset;
        this.length = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        this.data = data;
        this.fileLayout = fileLayout != null ? fileLayout : FileLayout.identity(name, this.shape);
        if (this.fileLayout.length() != length) {
            throw new IllegalArgumentException(name + " " + Arrays.toString(shape) + " holds " + length
                    + " values, its file layout " + this.fileLayout + " " + this.fileLayout.length());
        }
    }

    /**
     * {@return the same view, held in checkpoints as {@code layout} says (PyTorch's name, shape and order)}
     *
     * @param layout how files hold the tensor; its view must have as many values as the tensor
     */
    public Tensor withFileLayout(FileLayout layout) {
        return new Tensor(name, kind, shape, offset, data, java.util.Objects.requireNonNull(layout, "layout"));
    }

    /** {@return how checkpoint files hold this tensor: PyTorch's layout where it differs, else its own} */
    public FileLayout fileLayout() {
        return fileLayout;
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
        return new Tensor(otherName, kind, shape, offset, other, fileLayout);
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

    /**
     * How a file holds a tensor: under {@link #name()} with shape {@link #shape()}, its values those of the tensor
     * seen as {@link #view()} (row-major, same values as the tensor's own shape) with the axes taken in the order
     * {@link #permutation()} gives (file axis {@code i} is view axis {@code permutation[i]}), then read row-major.
     * A convolution's {@code [filters, kh, kw, channels]} with permutation {@code {0, 3, 1, 2}} is PyTorch's
     * {@code [filters, channels, kh, kw]}; a dense layer fed by a flatten of a {@code C x H x W} map views its
     * {@code [units, H*W*C]} weight as {@code [units, H, W, C]} and writes {@code [units, C*H*W]}.
     */
    public static final class FileLayout {
        private final String name;
        private final int[] view;
        private final int[] permutation;
        private final int[] shape;

        /**
         * Checks that {@code permutation} permutes {@code view}'s axes and that {@code shape} has as many values.
         *
         * @param name the file's name for the tensor
         * @param view the tensor's values seen with these dimensions
         * @param permutation for each file axis, the view axis it is
         * @param shape the file's dimensions (the permuted view's, or a reshape of them)
         */
        public FileLayout(String name, int[] view, int[] permutation, int[] shape) {
            this.name = java.util.Objects.requireNonNull(name, "name");
            this.view = view.clone();
            this.permutation = permutation.clone();
            this.shape = shape.clone();
            boolean[] seen = new boolean[view.length];
            for (int axis : permutation) {
                if (permutation.length != view.length || axis < 0 || axis >= view.length || seen[axis]) {
                    throw new IllegalArgumentException(name + ": expected a permutation of the " + view.length
                            + " axes of " + Arrays.toString(view) + ", found " + Arrays.toString(permutation));
                }
                seen[axis] = true;
            }
            if (product(view) != product(shape)) {
                throw new IllegalArgumentException(name + ": file shape " + Arrays.toString(shape)
                        + " must hold as many values as the view " + Arrays.toString(view));
            }
        }

        /**
         * {@return a file layout that is the tensor's own: same name, shape and order}
         *
         * @param name the tensor's name
         * @param shape the tensor's dimensions
         */
        public static FileLayout identity(String name, int[] shape) {
            int[] axes = new int[shape.length];
            Arrays.setAll(axes, i -> i);
            return new FileLayout(name, shape, axes, shape);
        }

        /** {@return the file's name for the tensor} */
        public String name() {
            return name;
        }

        /** {@return the dimensions the tensor's values are seen with before the axes are permuted; a copy} */
        public int[] view() {
            return view.clone();
        }

        /** {@return for each file axis, the view axis it is; a copy} */
        public int[] permutation() {
            return permutation.clone();
        }

        /** {@return the file's dimensions; a copy} */
        public int[] shape() {
            return shape.clone();
        }

        /** {@return the number of values} */
        public int length() {
            return product(shape);
        }

        /** {@return whether the file holds the values in the tensor's own order} */
        public boolean keepsOrder() {
            for (int i = 0; i < permutation.length; i++) {
                if (permutation[i] != i && view[permutation[i]] != 1) {
                    return false;
                }
            }
            return true;
        }

        /**
         * {@return the tensor's values (in its own row-major order) in the file's order}
         *
         * @param memory the tensor's values, {@link #length()} of them
         */
        public float[] toFile(float[] memory) {
            return reorder(memory, true);
        }

        /**
         * {@return the file's values in the tensor's own row-major order}
         *
         * @param file the values as the file holds them, {@link #length()} of them
         */
        public float[] toMemory(float[] file) {
            return reorder(file, false);
        }

        private float[] reorder(float[] values, boolean toFile) {
            if (values.length != length()) {
                throw new IllegalArgumentException(name + ": expected " + length() + " values, found " + values.length);
            }
            int n = view.length;
            // the view's row-major strides, taken in file axis order
            int[] viewStride = new int[n];
            for (int i = n - 1, s = 1; i >= 0; s *= view[i], i--) {
                viewStride[i] = s;
            }
            int[] dims = new int[n];
            int[] strides = new int[n];
            for (int i = 0; i < n; i++) {
                dims[i] = view[permutation[i]];
                strides[i] = viewStride[permutation[i]];
            }
            float[] out = new float[values.length];
            int[] at = new int[n];
            int memoryIndex = 0;
            for (int fileIndex = 0; fileIndex < values.length; fileIndex++) {
                if (toFile) {
                    out[fileIndex] = values[memoryIndex];
                } else {
                    out[memoryIndex] = values[fileIndex];
                }
                for (int axis = n - 1; axis >= 0; axis--) {
                    memoryIndex += strides[axis];
                    if (++at[axis] < dims[axis]) {
                        break;
                    }
                    memoryIndex -= strides[axis] * dims[axis];
                    at[axis] = 0;
                }
            }
            return out;
        }

        private static int product(int[] dims) {
            return Arrays.stream(dims).reduce(1, Math::multiplyExact);
        }

        /** As {@code conv.weight [16, 1, 3, 3] from [16, 3, 3, 1] by [0, 3, 1, 2]}. */
        @Override
        public String toString() {
            return name + " " + Arrays.toString(shape) + " from " + Arrays.toString(view) + " by "
                    + Arrays.toString(permutation);
        }
    }
}
