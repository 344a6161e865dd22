package dev.lamina.runtime;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a caller asks of the next backward pass besides the loss's gradient: an output gradient of its own (a
 * vector-Jacobian product starts from it instead of the loss's), gradients added at layer outputs
 * ({@link Layer#addGradient}), both consumed by the next backward pass, and the input's gradient, taken from the
 * pass to the input. The generated backward pass moves them in and out of its gradient slots worker by worker: a
 * worker's rows {@code [first, first + rows)} of a slot start at {@code SLOT * n + first * stride} and lie packed
 * there, one row of the layer's size after another.
 */
final class BackwardRequests {
    private final String model;
    /** Whether the input has a gradient (it is not token ids). */
    private boolean inputHasGradient;
    /** The layers whose output gradient the generated code adds to. */
    private final Set<Layer> targets = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Layer, float[]> added = new IdentityHashMap<>();
    /** The caller's gradient at the output for the next backward pass (as stored), or null: the loss's. */
    private float[] output;
    private boolean toInput;
    /** The input's gradient of the last backward pass to the input, channels first; rows: 0 when none since. */
    private float[] input = new float[0];
    private int inputGradientRows;

    BackwardRequests(String model) {
        this.model = model;
    }

    void inputHasGradient(boolean has) {
        this.inputHasGradient = has;
    }

    void target(Layer layer) {
        targets.add(layer);
    }

    boolean hasInputGradient() {
        return inputHasGradient;
    }

    void computeInputGradient(boolean on) {
        if (on && !hasInputGradient()) {
            throw new UnsupportedOperationException(model + " has no input gradient: its input is token ids, which "
                    + "its embeddings look up (a gradient with respect to the embedded vectors is the first "
                    + "embedding layer's output gradient: add it with Layer.addGradient or read its weight gradient)");
        }
        toInput = on;
    }

    boolean computesInputGradient() {
        return toInput;
    }

    /** Keeps a caller's gradient at the output for the next backward pass, over {@code n} rows (as stored). */
    void setOutputGradient(int n, int outputSize, float[] gradient) {
        if (gradient.length != n * outputSize) {
            throw new IllegalArgumentException(model + ": an output gradient for " + n + " rows is " + n + " x "
                    + outputSize + " = " + (n * outputSize) + " floats (laid out as predict returns the outputs), "
                    + "found " + gradient.length);
        }
        output = gradient.clone();
    }

    /** Writes the caller's output gradient, rows {@code [first, first + rows)}, into the slot slice at base. */
    void putOutput(FloatBuffer a, int base, int first, int rows, int outputSize) {
        if (output != null) {
            a.put(base, output, first * outputSize, rows * outputSize);
        }
    }

    /** Keeps {@code gradient} (rows x the layer's output size, channels first) for the next backward pass. */
    void add(Layer layer, int rows, float[] gradient) {
        if (!targets.contains(layer)) {
            throw new IllegalArgumentException(model + ": layer '" + layer.name() + "' (" + layer.kind() + ") takes "
                    + "no gradient at its output: " + (layer.hasOwnOutput()
                    ? "a dropout is folded into it (add the gradient at the dropout's field, which is the value the "
                    + "next layers read) or it is a view of the network input"
                    : "fusion kept no output of its own (see Layer.output for why)"));
        }
        int size = RowLayout.of(layer.outputShape()).size();
        if (gradient.length != rows * size) {
            throw new IllegalArgumentException(model + ": a gradient at layer '" + layer.name() + "' "
                    + Arrays.toString(layer.outputShape()) + " for the " + rows + " rows of the last forward pass is "
                    + rows + " x " + size + " = " + (rows * size) + " floats, found " + gradient.length);
        }
        float[] sum = added.get(layer);
        if (sum == null) {
            added.put(layer, gradient.clone());
        } else {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += gradient[i];
            }
        }
    }

    /** Whether the caller gave the next backward pass an output gradient or gradients at layer outputs. */
    boolean givesGradients() {
        return output != null || !added.isEmpty();
    }

    /** Adds what a caller gave for {@code layer}, rows {@code [first, first + rows)}, into its slot slice at base. */
    void addInto(Layer layer, FloatBuffer a, int base, int first, int rows) {
        float[] gradient = added.get(layer);
        if (gradient == null) {
            return;
        }
        RowLayout layout = RowLayout.of(layer.outputShape());
        int size = layout.size();
        for (int r = 0; r < rows; r++) {
            layout.addInto(gradient, (first + r) * size, a, base + r * size);
        }
    }

    /** Copies the input's gradient, rows {@code [first, first + rows)} of {@code n}, out of the slot slice at base. */
    void takeInput(FloatBuffer a, int base, int n, int first, int rows, int[] inputShape) {
        RowLayout layout = RowLayout.of(inputShape);
        int size = layout.size();
        if (input.length != n * size) {
            throw new IllegalStateException("the input gradient array was not laid out for " + n + " rows");
        }
        for (int r = 0; r < rows; r++) {
            layout.copyOut(a, base + r * size, input, (first + r) * size);
        }
    }

    /** A backward pass over {@code n} rows starts: room for the input's gradient if it computes it. */
    void backwardStarted(int n, int inputSize) {
        if (toInput && input.length != n * inputSize) {
            input = new float[n * inputSize];
        }
    }

    /** A backward pass over {@code n} rows ended: its added gradients are spent. */
    void backwardEnded(int n) {
        added.clear();
        output = null;
        inputGradientRows = toInput ? n : 0;
    }

    /** A forward pass started: given gradients belong to the pass before it, and so does the input gradient. */
    void forwardStarted() {
        added.clear();
        output = null;
        inputGradientRows = 0;
    }

    /** The input's gradient of the last backward pass, row after row, channels first as inputs are given. */
    float[] inputGradient() {
        if (inputGradientRows == 0) {
            throw new IllegalStateException(model + ": no input gradient: " + (toInput
                    ? "no backward pass ran since the last forward pass"
                    : "the last backward pass did not compute it; call computeInputGradient(true) before it"));
        }
        return input.clone();
    }
}
