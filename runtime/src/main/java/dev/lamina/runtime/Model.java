package dev.lamina.runtime;

import dev.lamina.dsl.Loss;
import java.util.List;

/**
 * What every generated network implements. A training step is: {@link #reserve(int)} once per batch size,
 * {@link #setInput} and {@link #setTarget} for each row, {@link #forward(int)}, {@link #loss(int)} (the mean loss
 * over the batch; it also seeds the backward pass), {@link #backward(int)}; the gradients then hold the
 * derivative of that mean loss with respect to every parameter (overwritten, not accumulated).
 *
 * <p>Modes: a network is in inference mode when it is created, after {@link
 * dev.lamina.runtime.io.Checkpoint#load} and after {@code Trainer.fit}: dropout keeps every value and batch norm
 * uses its running statistics, so the same input always gives the same output. Training mode (dropout draws masks,
 * batch norm uses and updates the batch's statistics) is what {@code Trainer} switches on for its steps, or a
 * caller with {@link #setTraining}. {@link #predict} and evaluation always infer. A backward pass differentiates
 * what the forward pass computed in the current mode (in inference, batch norm is an affine map with constant
 * statistics), so switch modes between steps, not between a forward pass and its backward pass.
 *
 * <p>Threads: {@link #predict} may be called on one model from any number of threads; the calls take turns (each
 * holds the model for its whole call), and every one returns the answer a lone call would. A training step
 * ({@code setInput}, {@code forward}, {@code loss}, {@code backward}, an optimizer step) is a sequence on the
 * model's one set of arrays, driven by one thread at a time: a pass while another thread is in a pass or a
 * {@code predict} on the same model throws {@link IllegalStateException}, and so does a {@code loss} or
 * {@code backward} that follows another thread's forward pass (a {@code predict} in between included) or a forward
 * pass over a different number of rows. Separate models are independent. Each pass runs on the model's
 * {@link Workers} team ({@link #useWorkers}).
 */
public interface Model {

    /**
     * Internal, not API: called by the code the processor generates (which lives in the user's own module, so it must
     * be public); it may change in any release.
     *
     * <p>Generated classes return their one instance.
     *
     * @return the network's arrays and bookkeeping
     */
    NetworkState state();

    /**
     * Runs the layers on the first {@code batch} rows of the input region.
     *
     * @param batch the number of rows, at most the reserved batch size
     */
    void forward(int batch);

    /**
     * {@return mean loss of the last forward pass against the targets; writes the output gradient for {@link
     * #backward}}
     *
     * @param batch the rows of the last forward pass
     */
    double loss(int batch);

    /**
     * Backpropagates the output gradient left by {@link #loss(int)} into {@link #gradients()}.
     *
     * @param batch the rows of the last forward pass
     */
    void backward(int batch);

    /**
     * Backpropagates a gradient the caller computed (a vector-Jacobian product): {@code outputGradient} is the
     * derivative of some scalar with respect to each output of the last forward pass over {@code n} rows, laid out
     * as {@link #predict} returns outputs ({@code n x outputSize()}). The gradients then hold its derivative with
     * respect to every parameter (overwritten, not accumulated), and {@link #inputGradient()} the input's when
     * {@link #computeInputGradient} asked for it. Gradients added at layer outputs ({@link Layer#addGradient}) are
     * added in. Given the gradient the built-in loss writes ({@code (softmax - target) / n}, ...), it is the
     * built-in {@link #backward(int)}; for a sum over rows pass the per-row gradients unscaled.
     *
     * @param n the rows of the last forward pass
     * @param outputGradient {@code n x outputSize()} floats: the derivative of the caller's scalar with respect to each
     *         output
     */
    default void backward(int n, float[] outputGradient) {
        state().setOutputGradient(n, outputGradient);
        backward(n);
    }

    /**
     * Writes {@code H v}, the product of the Hessian of the mean loss of the last forward pass (over {@code n} rows,
     * against the targets set for them) with respect to the parameters, with the direction {@code v}: exact, by the
     * R-passes (Pearlmutter) the processor generates for a network declared {@code @Network(secondOrder = true)}.
     * Both vectors are laid out as {@link #parameters()} (and {@link #gradients()}) are. It differentiates what the
     * forward pass computed in the current mode, and changes neither the parameters nor the gradients, so a
     * {@link #loss} and {@link #backward} may still follow. The toolbox's operator over it is {@code
     * analysis.hessian.GeneratedHvp}.
     *
     * @param n the rows of the last forward pass
     * @param v the direction, {@link #parameterCount()} values; not changed
     * @param out receives {@code H v}, {@link #parameterCount()} values
     * @throws UnsupportedOperationException when the network was not declared with {@code secondOrder = true}, or
     *         on a path that has no R-pass (the GPU's)
     * @throws IllegalArgumentException when a vector's length is not {@link #parameterCount()}
     * @throws IllegalStateException when no forward pass over {@code n} rows preceded it on this thread
     */
    default void hessianVectorProduct(int n, double[] v, double[] out) {
        throw new UnsupportedOperationException(name() + " has no generated Hessian-vector product: declare it"
                + " @Network(secondOrder = true), or use analysis.hessian.FiniteDifferenceHvp");
    }

    /**
     * Writes {@code G v}, the product of the Gauss-Newton matrix {@code G = J^T H_loss J} of the mean loss of the
     * last forward pass with the direction {@code v} ({@code J}: the Jacobian of the batch's outputs with respect to
     * the parameters; {@code H_loss}: the loss's Hessian with respect to those outputs, {@code diag(p) - p p^T} per
     * row for the softmax cross-entropy, the identity for the squared error, over the batch's rows). It is {@link
     * #hessianVectorProduct} without the terms of the network's own second derivatives, so it is positive
     * semidefinite and equals {@code H v} where the residuals vanish; the generated code runs the same R-passes
     * with no gradient at the output, for the cost of one {@code H v}. The same contract otherwise.
     *
     * @param n the rows of the last forward pass
     * @param v the direction, {@link #parameterCount()} values; not changed
     * @param out receives {@code G v}, {@link #parameterCount()} values
     * @throws UnsupportedOperationException when the network was not declared with {@code secondOrder = true}, or
     *         on a path that has no R-pass (the GPU's)
     * @throws IllegalArgumentException when a vector's length is not {@link #parameterCount()}
     * @throws IllegalStateException when no forward pass over {@code n} rows preceded it on this thread
     */
    default void gaussNewtonVectorProduct(int n, double[] v, double[] out) {
        throw new UnsupportedOperationException(name() + " has no generated Gauss-Newton-vector product: declare it"
                + " @Network(secondOrder = true), or use analysis.hessian.GaussNewton");
    }

    /**
     * Makes the backward passes that follow also compute the gradient with respect to the input (read with
     * {@link #inputGradient()}), or stop it. Off when a network is created, and then costless: the generated code
     * has a second backward pass for it, whose first layers differ.
     *
     * @param on true to compute the input gradient in the following backward passes, false to stop
     * @throws UnsupportedOperationException when the input is token ids (embeddings), which have no gradient
     */
    default void computeInputGradient(boolean on) {
        state().computeInputGradient(on);
    }

    /**
     * {@return the gradient with respect to the input of the last backward pass (which must have computed it:
     * {@link #computeInputGradient}), {@code rows x inputSize()} floats, channels first as inputs are given}
     *
     * @throws IllegalStateException when the last backward pass did not compute it, or a forward pass ran since
     */
    default float[] inputGradient() {
        return state().inputGradient();
    }

    /**
     * Score {@code k} of row {@code row} after {@link #forward(int)} (logits for the cross-entropy losses).
     *
     * @param row the batch row
     * @param k the output index, from 0 to {@code outputSize() - 1}
     * @return the score
     */
    float output(int row, int k);

    /** {@return the network's name: the annotated class's simple name} */
    default String name() {
        return state().name();
    }

    /** {@return the loss the network was declared with ({@code @Network(loss = ...)}), fused into its last layer} */
    default Loss lossKind() {
        return state().loss();
    }

    /** {@return shape of one input sample as given, channels first (for example {@code [1, 28, 28]}); a copy} */
    default int[] inputShape() {
        return state().inputShape();
    }

    /** {@return floats per input sample: the product of {@link #inputShape()}} */
    default int inputSize() {
        return state().inputSize();
    }

    /** {@return floats per output row: the last layer's units (times its steps for a sequence scored at every step)} */
    default int outputSize() {
        return state().outputSize();
    }

    /**
     * {@return one row's output shape, channels first ({@code {features}}, {@code {c, h, w}} or {@code {steps,
     * features}})}
     * {@link #predict} and {@link #output} give a multi-channel image's values as stored, channels last: per
     * position, {@code c} values one after another.
     */
    default int[] outputShape() {
        return state().outputShape();
    }

    /** {@return number of trainable parameters (running statistics are not counted, as in PyTorch)} */
    default int parameterCount() {
        return state().parameters().size();
    }

    /** {@return every trainable parameter in one flat off-heap array; {@link #parameterTensors()} names its parts} */
    default Memory parameters() {
        return state().parameters();
    }

    /**
     * {@return the loss's gradient with respect to {@link #parameters()}, element for element, as the last backward
     * pass left
     * it}
     */
    default Memory gradients() {
        return state().gradients();
    }

    /**
     * {@return the non-trainable state (batch norm's running means and variances) in one flat array; {@link
     * #bufferTensors()}
     * names its parts}
     */
    default Memory buffers() {
        return state().buffers();
    }

    /**
     * Named views of {@link #parameters()}, one per weight, bias, gamma or beta, in declaration order; what a
     * checkpoint writes.
     *
     * @return the parameters' named views
     */
    default List<Tensor> parameterTensors() {
        return state().parameterTensors();
    }

    /**
     * Named views of {@link #buffers()} ({@code bn1.running_mean}, ...); checkpoints write them beside the parameters.
     *
     * @return the running statistics' named views
     */
    default List<Tensor> bufferTensors() {
        return state().bufferTensors();
    }

    /** {@return the layers in declaration order, as the network's fields hold them} */
    default List<Layer> layers() {
        return state().layers();
    }

    /**
     * Draws every parameter again (each layer's {@code init}), resets the running statistics (mean 0, variance 1) and
     * reseeds dropout, all from {@code seed}: the same seed gives the same network on every machine.
     *
     * @param seed any value; the same seed gives the same parameters
     */
    default void initialize(long seed) {
        state().initialize(seed);
    }

    /**
     * Switches between training mode (true: dropout draws masks, batch norm uses the batch's statistics) and inference
     * mode (false); see the class comment.
     *
     * @param training true for training mode, false for inference
     */
    default void setTraining(boolean training) {
        state().setTraining(training);
    }

    /** {@return whether the network is in training mode (see {@link #setTraining})} */
    default boolean isTraining() {
        return state().isTraining();
    }

    /** Forgets the states stateful recurrent layers carry between batches (start of a new text, a new epoch). */
    default void resetStates() {
        state().resetStates();
    }

    /**
     * Called after the parameters or running statistics were written from outside a training step (a checkpoint
     * load, an initialisation): a model that keeps its own copy elsewhere (the GPU path) takes them again.
     */
    default void parametersChanged() {
    }

    /**
     * Runs this model's passes on {@code workers}, a team of its own ({@link Workers#create}), instead of the
     * process default ({@link Workers#setThreads}, {@code -Dlamina.threads}); null returns to the default. Takes
     * effect at the next pass.
     *
     * @param workers the team to run on (not closed)
     */
    default void useWorkers(Workers workers) {
        state().useWorkers(workers);
    }

    /**
     * Makes room for batches of up to {@code batch} rows (allocates only when it grows).
     *
     * @param batch the largest number of rows a pass will run; at least 1
     */
    default void reserve(int batch) {
        state().reserve(batch);
    }

    /**
     * Copies one sample (channels first, as {@link #inputShape()}) into row {@code row} of the batch, from
     * {@code sample[offset, offset + inputSize())}; an array too short for that is an IllegalArgumentException.
     *
     * @param row the batch row, from 0 to the reserved batch size - 1
     * @param sample the array holding the sample
     * @param offset where the sample starts in {@code sample}
     */
    default void setInput(int row, float[] sample, int offset) {
        state().setInput(row, sample, offset);
    }

    /**
     * Copies one target ({@link #outputSize()} floats from {@code offset}) into row {@code row} of the batch.
     *
     * @param row the batch row, from 0 to the reserved batch size - 1
     * @param target the array holding the target
     * @param offset where the target starts in {@code target}
     */
    default void setTarget(int row, float[] target, int offset) {
        state().setTarget(row, target, offset);
    }

    /**
     * Forward pass over {@code n} samples stored one after another in {@code x}, in inference mode whatever the
     * current mode (which it leaves as it was); returns n x outputSize scores. Safe from several threads: the
     * calls take turns on the model (see the class comment).
     *
     * @param x {@code n x inputSize()} floats, the samples channels first, one after another
     * @param n the number of samples
     * @return {@code n x outputSize()} scores (logits for the cross-entropy losses), row after row
     */
    default float[] predict(float[] x, int n) {
        int in = inputSize();
        int out = outputSize();
        if (x.length != n * in) {
            throw new IllegalArgumentException("expected " + n + " x " + in + " = " + (n * in)
                    + " input values, found " + x.length);
        }
        NetworkState state = state();
        state.lock();
        try {
            boolean wasTraining = isTraining();
            setTraining(false);
            try {
                reserve(n);
                for (int i = 0; i < n; i++) {
                    setInput(i, x, i * in);
                }
                forward(n);
            } finally {
                setTraining(wasTraining);
            }
            float[] y = new float[n * out];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < out; k++) {
                    y[i * out + k] = output(i, k);
                }
            }
            return y;
        } finally {
            state.unlock();
        }
    }

    /**
     * {@return class probabilities of {@code n} samples (laid out as for {@link #predict}), through {@link #predict}
     * (so in
     * inference mode, the mode restored, and on whatever device the model runs): for
     * {@link Loss#SOFTMAX_CROSS_ENTROPY} the softmax of each row's scores (each step's, for an output scored at
     * every step), for {@link Loss#SIGMOID_CROSS_ENTROPY} the logistic function of each score; computed in double
     * with each group's maximum subtracted first} Returns n x outputSize values, row after row.
     *
     * @param x {@code n x inputSize()} floats, the samples one after another
     * @param n the number of samples
     * @throws IllegalStateException when the network minimises the mean squared error: its outputs are not class scores
     * @see ClassScores#probabilities
     */
    default double[] probabilities(float[] x, int n) {
        checkClassScores();
        return ClassScores.probabilities(lossKind(), state().outputSteps(), predict(x, n), n);
    }

    /**
     * {@return the class of each of {@code n} samples (laid out as for {@link #predict}), through {@link #predict}: the
     * index
     * of the first maximal score (ties to the lowest index), one per step for an output scored at every step (n x
     * steps classes, row after row); for a sigmoid output with one unit, 1 when its probability is at least 1/2}
     * The same rule {@link dev.lamina.runtime.train.Evaluation} counts accuracy with ({@link ClassScores}).
     *
     * @param x {@code n x inputSize()} floats, the samples one after another
     * @param n the number of samples
     * @throws IllegalStateException when the network minimises the mean squared error: its outputs are not class scores
     */
    default int[] classify(float[] x, int n) {
        checkClassScores();
        return ClassScores.classes(lossKind(), state().outputSteps(), predict(x, n), n);
    }

    /** Refuses, before any work, a model whose outputs are not class scores. */
    private void checkClassScores() {
        if (lossKind() == Loss.MEAN_SQUARED_ERROR) {
            throw new IllegalStateException("the outputs of " + name() + " are not class scores: it minimises the"
                    + " mean squared error (a regression), so they have no probabilities or classes; use predict");
        }
    }

    /** {@return the parameters as a flat copy (for tests and tools; training reads {@link #parameters()} in place)} */
    default float[] parameterArray() {
        return parameters().toArray();
    }

    /** {@return a table of layers, output shapes and parameter counts, like Keras' {@code summary()}} */
    default String summary() {
        return Summary.of(this);
    }
}
