package dev.lamina.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * Models in sequence, each one's output the next one's input: a generator feeding a discriminator, an encoder
 * feeding a decoder. The chain holds the models themselves, not copies: their parameters, gradients, modes and
 * optimizers stay theirs, and training one through the chain changes the model seen anywhere else.
 *
 * <p>A step is the models' own step over the whole chain: {@link #reserve}, {@link #setInput} (into the first
 * model), {@link #setTarget} (into the last), {@link #forward}, {@link #loss} (the last model's fused loss), then
 * {@link #backward(int)} or, from a gradient the caller computed at the last model's outputs,
 * {@link #backward(int, float[])}. The backward pass runs the models from last to first: each model after the first
 * computes its input gradient, which is the previous model's output gradient. Afterwards every model's
 * {@link Model#gradients()} hold the derivative of the chain's loss with respect to its parameters (overwritten, as
 * by a model's own backward pass), and {@link #inputGradient()} the first model's input gradient when
 * {@link #computeInputGradient} asked for it.
 *
 * <p>Layouts: a model's outputs are stored as {@link Model#predict} returns them (a multi-channel image channels
 * last), and inputs are given channels first; the chain converts each output with its model's
 * {@link Model#outputShape()} before handing it on, and each input gradient back to the previous model's output
 * layout. A model's output size must equal the next one's input size; the shapes may differ (1 x 784 values feed a
 * [1, 28, 28] input as a reshape would, the values taken channels first).
 *
 * <p>Modes: each model runs in its own current mode ({@link Model#setTraining}); a chain does not switch them (a GAN's
 * generator step trains the generator through a discriminator in the mode the caller chose). The models must not be
 * in another pass meanwhile: the chain drives them from the calling thread, one after another.
 */
public final class Chain {
    private final List<Model> models;
    /** Row layout of each model's output, to convert between predict's order and channels first. */
    private final RowLayout[] outputs;
    private boolean inputGradient;
    /** Rows of the last forward pass, 0 before the first. */
    private int rows;
    /** Scratch for one row of values handed between models. */
    private float[] row = new float[0];

    private Chain(List<Model> models) {
        this.models = List.copyOf(models);
        this.outputs = new RowLayout[models.size()];
        for (int i = 0; i < models.size(); i++) {
            outputs[i] = RowLayout.of(models.get(i).outputShape());
        }
    }

    /**
     * Chains {@code models} in the order given (at least two).
     *
     * @param models the models, first to last; at least two, each output size the next one's input size
     * @return the chain, holding the models themselves
     * @throws IllegalArgumentException when fewer than two models are given, a model appears twice, a model's
     *         output size differs from the next one's input size, or a model after the first takes token ids
     */
    public static Chain of(Model... models) {
        return of(List.of(models));
    }

    /**
     * {@link #of(Model...)} for a list.
     *
     * @param models the models, first to last; at least two
     * @return the chain, holding the models themselves
     */
    public static Chain of(List<Model> models) {
        if (models.size() < 2) {
            throw new IllegalArgumentException("expected at least 2 models to chain, found " + models.size());
        }
        for (int i = 0; i < models.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (models.get(i) == models.get(j)) {
                    throw new IllegalArgumentException("expected distinct models, found " + models.get(i).name()
                            + " at positions " + j + " and " + i + " (a model holds the values of one pass)");
                }
            }
        }
        for (int i = 0; i + 1 < models.size(); i++) {
            Model from = models.get(i);
            Model to = models.get(i + 1);
            if (from.outputSize() != to.inputSize()) {
                throw new IllegalArgumentException("model " + (i + 1) + " (" + to.name() + ") takes input "
                        + Arrays.toString(to.inputShape()) + " = " + to.inputSize() + " values: expected model " + i
                        + " (" + from.name() + ") to output as many, found " + Arrays.toString(from.outputShape())
                        + " = " + from.outputSize());
            }
            if (!to.state().hasInputGradient()) {
                throw new IllegalArgumentException("model " + (i + 1) + " (" + to.name() + ") takes token ids, which "
                        + "have no gradient to hand back to model " + i + ": expected a model with a value input");
            }
        }
        return new Chain(models);
    }

    /** {@return the models, first to last} */
    public List<Model> models() {
        return models;
    }

    /** {@return the model the chain's input goes into} */
    public Model first() {
        return models.get(0);
    }

    /** {@return the model whose output is the chain's output and whose loss the chain trains on} */
    public Model last() {
        return models.get(models.size() - 1);
    }

    /** {@return values per input row (the first model's)} */
    public int inputSize() {
        return first().inputSize();
    }

    /** {@return values per output row (the last model's)} */
    public int outputSize() {
        return last().outputSize();
    }

    /**
     * Makes room in every model for batches of up to {@code batch} rows.
     *
     * @param batch the largest number of rows a pass will run; at least 1
     */
    public void reserve(int batch) {
        for (Model m : models) {
            m.reserve(batch);
        }
    }

    /**
     * One input sample, channels first, into the first model (see {@link Model#setInput}).
     *
     * @param row the batch row, from 0 to the reserved batch size - 1
     * @param sample the array holding the sample
     * @param offset where the sample starts in {@code sample}
     */
    public void setInput(int row, float[] sample, int offset) {
        first().setInput(row, sample, offset);
    }

    /**
     * One target into the last model, for its fused {@link #loss} (see {@link Model#setTarget}).
     *
     * @param row the batch row, from 0 to the reserved batch size - 1
     * @param target the array holding the target
     * @param offset where the target starts in {@code target}
     */
    public void setTarget(int row, float[] target, int offset) {
        last().setTarget(row, target, offset);
    }

    /**
     * Runs every model over {@code n} rows, each in its current mode, each model's outputs becoming the next one's
     * inputs (converted to channels first).
     *
     * @param n the number of rows, at most the reserved batch size
     */
    public void forward(int n) {
        first().forward(n);
        for (int i = 1; i < models.size(); i++) {
            Model from = models.get(i - 1);
            Model to = models.get(i);
            int size = from.outputSize();
            ensureRow(size);
            for (int r = 0; r < n; r++) {
                copyOutput(from, outputs[i - 1], r, row, 0);
                to.setInput(r, row, 0);
            }
            to.forward(n);
        }
        rows = n;
    }

    /**
     * {@return the last model's mean loss over the {@code n} rows of the last forward pass (see {@link Model#loss})}
     *
     * @param n the rows of the last forward pass
     */
    public double loss(int n) {
        return last().loss(n);
    }

    /**
     * Score {@code k} of row {@code row} of the last model after {@link #forward} (logits for cross-entropy).
     *
     * @param row the batch row
     * @param k the output index, from 0 to the last model's output size - 1
     * @return the score
     */
    public float output(int row, int k) {
        return last().output(row, k);
    }

    /**
     * Backpropagates the gradient the last model's {@link #loss} left through every model (see the class comment).
     *
     * @param n the rows of the last forward pass
     */
    public void backward(int n) {
        checkRows(n);
        Model last = last();
        float[] gradient = backwardOne(models.size() - 1, () -> last.backward(n));
        propagate(n, gradient);
    }

    /**
     * Backpropagates a gradient the caller computed at the last model's outputs (laid out as its
     * {@link Model#predict} returns them, {@code n x outputSize()}) through every model (see
     * {@link Model#backward(int, float[])} and the class comment).
     *
     * @param n the rows of the last forward pass
     * @param outputGradient {@code n x outputSize} floats: the derivative of the caller's scalar with respect to each
     *         output of the last model
     */
    public void backward(int n, float[] outputGradient) {
        checkRows(n);
        Model last = last();
        float[] gradient = backwardOne(models.size() - 1, () -> last.backward(n, outputGradient));
        propagate(n, gradient);
    }

    /**
     * Makes the backward passes that follow also compute the gradient with respect to the first model's input
     * (read with {@link #inputGradient()}), or stop it; off when a chain is made. The other models compute theirs
     * during a chain's backward pass whatever this says, and are left as they were found.
     *
     * @param on true to compute the first model's input gradient in the following backward passes, false to stop
     */
    public void computeInputGradient(boolean on) {
        if (on && !first().state().hasInputGradient()) {
            first().computeInputGradient(true); // throws, saying why
        }
        this.inputGradient = on;
    }

    /**
     * {@return the first model's input gradient of the last backward pass, channels first (see {@link
     * Model#inputGradient})}
     */
    public float[] inputGradient() {
        return first().inputGradient();
    }

    /**
     * Switches every model's mode.
     *
     * @param training true for training mode, false for inference
     */
    public void setTraining(boolean training) {
        for (Model m : models) {
            m.setTraining(training);
        }
    }

    /**
     * {@return the outputs of {@code model}'s last forward pass, its first {@code rows} rows, channels first: as a next
     * model's {@link Model#setInput} takes them (a multi-channel image output is stored channels last, as
     * {@link Model#predict} returns it)} {@code rows x outputSize()} floats, row after row.
     *
     * @param model the model whose last forward pass is read
     * @param rows how many rows, from the first
     */
    public static float[] outputs(Model model, int rows) {
        RowLayout layout = RowLayout.of(model.outputShape());
        float[] out = new float[Math.multiplyExact(rows, layout.size())];
        for (int r = 0; r < rows; r++) {
            copyOutput(model, layout, r, out, r * layout.size());
        }
        return out;
    }

    private static void copyOutput(Model model, RowLayout layout, int row, float[] to, int offset) {
        int size = layout.size();
        for (int i = 0; i < size; i++) {
            to[offset + i] = model.output(row, layout.stored(i));
        }
    }

    /** Each model before {@code last}, from the last one down, backward from the next one's input gradient. */
    private void propagate(int n, float[] gradient) {
        for (int i = models.size() - 2; i >= 0; i--) {
            float[] stored = toStored(outputs[i], gradient, n);
            Model model = models.get(i);
            gradient = backwardOne(i, () -> model.backward(n, stored));
        }
    }

    /**
     * Runs model {@code i}'s backward pass, with its input gradient on when a model before it needs it (or the
     * caller asked, for the first); returns that input gradient (null for the first when not asked). The model's
     * own setting is restored afterwards; its input gradient stays readable until its next pass.
     */
    private float[] backwardOne(int i, Runnable pass) {
        Model model = models.get(i);
        boolean want = i > 0 || inputGradient;
        boolean had = model.state().computesInputGradient();
        if (want != had) {
            model.computeInputGradient(want);
        }
        try {
            pass.run();
        } finally {
            if (want != had) {
                model.computeInputGradient(had);
            }
        }
        return i > 0 ? model.inputGradient() : null;
    }

    /** An input gradient (channels first) as the previous model's output gradient (its predict layout). */
    private static float[] toStored(RowLayout layout, float[] channelsFirst, int n) {
        int size = layout.size();
        float[] stored = new float[channelsFirst.length];
        for (int r = 0; r < n; r++) {
            int base = r * size;
            for (int i = 0; i < size; i++) {
                stored[base + layout.stored(i)] = channelsFirst[base + i];
            }
        }
        return stored;
    }

    private void checkRows(int n) {
        if (n != rows) {
            throw new IllegalStateException("a chain's backward pass over " + n + " rows needs a forward pass over as "
                    + "many, found " + (rows == 0 ? "none" : "one over " + rows + " rows") + ": call forward(" + n
                    + ") first");
        }
    }

    private void ensureRow(int size) {
        if (row.length < size) {
            row = new float[size];
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Chain[");
        for (int i = 0; i < models.size(); i++) {
            s.append(i == 0 ? "" : " -> ").append(models.get(i).name());
        }
        return s.append(']').toString();
    }
}
