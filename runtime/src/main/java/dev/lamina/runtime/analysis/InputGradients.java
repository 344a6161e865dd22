package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;

/**
 * Holds a model for one input-gradient tool's run: its lock (as {@link Model#predict} does), inference mode (so a
 * sample's gradient is the same whatever the batch, and dropout draws nothing) and input gradients on; closing
 * restores the mode and the input-gradient setting the caller had. Every backward pass the tools run follows a
 * forward pass of its own: a backward pass may reuse the arena the forward pass wrote.
 */
final class InputGradients implements AutoCloseable {
    private final Model model;
    private final NetworkState state;
    private final boolean wasTraining;
    private final boolean wasComputing;

    private InputGradients(Model model) {
        this.model = model;
        this.state = model.state();
        state.lock();
        this.wasTraining = model.isTraining();
        this.wasComputing = state.computesInputGradient();
        try {
            model.setTraining(false);
            model.computeInputGradient(true);
        } catch (RuntimeException e) {
            model.setTraining(wasTraining);
            state.unlock();
            throw e;
        }
    }

    /** Takes {@code model} for a run; close it (try-with-resources) to give it back as it was. */
    static InputGradients open(Model model) {
        return new InputGradients(model);
    }

    Model model() {
        return model;
    }

    /** Runs the forward pass over the {@code n} samples stored one after another in {@code x} (channels first). */
    void forward(float[] x, int n) {
        model.reserve(n);
        int in = model.inputSize();
        for (int r = 0; r < n; r++) {
            model.setInput(r, x, r * in);
        }
        model.forward(n);
    }

    /**
     * Forward pass, then the built-in loss against {@code targets} ({@code n x outputSize}) and its backward pass:
     * returns the gradient of the mean loss with respect to {@code x}; {@code loss[0]} receives the loss.
     */
    float[] lossGradient(float[] x, float[] targets, int n, double[] loss) {
        model.reserve(n);
        int in = model.inputSize();
        int out = model.outputSize();
        for (int r = 0; r < n; r++) {
            model.setInput(r, x, r * in);
            model.setTarget(r, targets, r * out);
        }
        model.forward(n);
        loss[0] = model.loss(n);
        model.backward(n);
        return model.inputGradient();
    }

    /** The backward pass of the last forward pass from {@code outputGradient}; returns the input's gradient. */
    float[] backward(int n, float[] outputGradient) {
        model.backward(n, outputGradient);
        return model.inputGradient();
    }

    /** The backward pass from the gradients added at layer outputs only (a zero output gradient). */
    float[] backwardFromLayers(int n) {
        return backward(n, new float[n * model.outputSize()]);
    }

    @Override
    public void close() {
        try {
            model.computeInputGradient(wasComputing);
            model.setTraining(wasTraining);
        } finally {
            state.unlock();
        }
    }

    /** Refuses a layer of another network. */
    static void checkLayer(Model model, Layer layer) {
        if (model.layers().stream().noneMatch(l -> l == layer)) {
            throw new IllegalArgumentException("expected a layer of " + model.name() + " (" + model.layers().stream()
                    .map(Layer::name).toList() + "), found layer '" + layer.name() + "' of another network");
        }
    }

    /** Refuses an input array that does not hold {@code n} samples. */
    static void checkInputs(Model model, float[] x, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("expected at least one sample, found n = " + n);
        }
        long expected = (long) n * model.inputSize();
        if (x.length != expected) {
            throw new IllegalArgumentException("expected " + n + " x " + model.inputSize() + " = " + expected
                    + " input values, found " + x.length);
        }
    }

    /** Refuses a model whose input is not an image {@code [channels, height, width]}. */
    static int[] imageShape(Model model) {
        int[] shape = model.inputShape();
        if (shape.length != 3) {
            throw new IllegalArgumentException("expected a network whose input is an image [channels, height, width],"
                    + " found input shape " + java.util.Arrays.toString(shape) + " in " + model.name());
        }
        return shape;
    }
}
