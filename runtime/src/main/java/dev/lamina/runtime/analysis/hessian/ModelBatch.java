package dev.lamina.runtime.analysis.hessian;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;

/**
 * Internal, not API: a model and the batch a tool differentiates on, with the passes the tools run. Every
 * evaluation loads the batch again (another caller may have used the model in between) and, in training mode,
 * restarts the dropout masks from one seed, so that every evaluation differentiates the same function.
 */
final class ModelBatch {
    private static final long DROPOUT_SEED = 12345;
    final Model model;
    final FlatParameters flat;
    private final float[] inputs;
    private final float[] targets;
    final int n;

    ModelBatch(Model model, float[] inputs, float[] targets, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("expected at least one sample, found n = " + n);
        }
        long in = (long) n * model.inputSize();
        long out = (long) n * model.outputSize();
        if (inputs.length != in) {
            throw new IllegalArgumentException("expected " + n + " x " + model.inputSize() + " = " + in
                    + " input values, found " + inputs.length);
        }
        if (targets.length != out) {
            throw new IllegalArgumentException("expected " + n + " x " + model.outputSize() + " = " + out
                    + " target values, found " + targets.length);
        }
        this.model = model;
        this.flat = new FlatParameters(model);
        this.inputs = inputs.clone();
        this.targets = targets.clone();
        this.n = n;
    }

    float[] inputs() {
        return inputs;
    }

    float[] targets() {
        return targets;
    }

    /** Loads the batch and runs the forward pass and the loss; returns the mean loss. */
    double forwardLoss() {
        model.reserve(n);
        for (int r = 0; r < n; r++) {
            model.setInput(r, inputs, r * model.inputSize());
            model.setTarget(r, targets, r * model.outputSize());
        }
        model.state().reseedDropout(DROPOUT_SEED);
        model.forward(n);
        return model.loss(n);
    }

    /** {@return the gradient of the mean loss at the current parameters, flattened, in double} */
    double[] gradient() {
        forwardLoss();
        model.backward(n);
        return flat.gradient();
    }

    /**
     * Runs {@code work} with the model held (as {@link Model#predict} holds it) in the mode asked for; the mode,
     * the parameters and the running statistics are put back bit for bit after.
     */
    <T> T holding(boolean training, java.util.function.Supplier<T> work) {
        NetworkState state = model.state();
        state.lock();
        boolean wasTraining = model.isTraining();
        float[] parameters = model.parameters().toArray();
        float[] buffers = model.buffers().toArray();
        try {
            model.setTraining(training);
            return work.get();
        } finally {
            try {
                model.parameters().floats().put(0, parameters);
                model.buffers().floats().put(0, buffers);
                model.parametersChanged();
                model.setTraining(wasTraining);
            } finally {
                state.unlock();
            }
        }
    }
}
