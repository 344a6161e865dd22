package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.Worker;
import dev.lamina.runtime.Workers;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Updates a model's parameters from its gradients: one fused loop over the flat arrays per tensor, the flat
 * range split over the model's {@link Workers} (the update is element-wise, so the split does not change the
 * result). The state (velocities, moment estimates) is allocated on the first step, on the heap: only this class
 * reads it. Its size is the parameters' (times {@link #stateSlots()}), whatever the thread count.
 */
public abstract class Optimizer {
    private double learningRate;
    private int steps;
    /**
     * The state, in chunks of {@link #BLOCK} floats: chunk {@code k} holds parameters {@code [k BLOCK, (k + 1)
     * BLOCK)}. An update works on a piece of one chunk, with the parameters and gradients copied to the worker's
     * heap blocks at the same offset as in the chunk, so that every array in its loop is read at one index (what
     * the JIT needs to vectorise it) and the state is updated in place (no copies). Null when there is none.
     */
    private float[][] first;
    private float[][] second;
    /** The parameter count the state was made for (-1: none yet). */
    private int stateSize = -1;
    private static final float[] NONE = new float[0];
    /** The model of the step in progress, and its tensors (cached: a step allocates nothing). */
    private Model model;
    private List<Tensor> tensors;
    private final Workers.RowTask updateSlice = this::updateSlice;
    /**
     * Parameter tensors the update skips entirely (parameters and state both untouched), by identity; set by
     * {@link Trainer} for its frozen layers during a fit, empty otherwise.
     */
    private java.util.Set<Tensor> frozen = java.util.Set.of();

    /**
     * Floats per chunk of the state and per piece of an update: small enough that a piece's four arrays stay in
     * the L1 cache. The parameters and gradients of a piece go through the worker's own fixed heap blocks
     * ({@link Worker#block}), so the optimizer needs no memory per thread.
     */
    static final int BLOCK = 2048;

    /**
     * For the optimizers of this package; throws {@link IllegalArgumentException} unless {@code learningRate} is
     * positive.
     *
     * @param learningRate the base learning rate; positive
     */
    protected Optimizer(double learningRate) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** {@return the learning rate the next step uses (a schedule may have changed it)} */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Sets the learning rate of the following steps ({@link Trainer} does it each epoch from its schedule).
     *
     * @param learningRate the new rate
     */
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    /** {@return number of steps taken so far (Adam's bias correction counts them)} */
    public int steps() {
        return steps;
    }

    /**
     * An update rule as another engine applies it (the GPU path): its name ({@code sgd}, {@code nesterov},
     * {@code adam}, {@code adagrad}, {@code rmsprop}) and its constants, the CPU's own values.
     *
     * @param name the rule's name
     * @param momentum the momentum (SGD and Nesterov)
     * @param rho1 the first moment's decay (Adam), or RMSProp's decay
     * @param rho2 the second moment's decay (Adam)
     * @param delta the stabiliser (Adam, AdaGrad, RMSProp)
     * @param weightDecay AdamW's decoupled weight decay
     */
    public record Rule(String name, double momentum, double rho1, double rho2, double delta, double weightDecay) {
    }

    /**
     * Internal, not API: implemented by the gpu module's device-resident network; it may change in any release.
     *
     * <p>A model whose parameters and gradients live on another device: the update, a regularizer's penalty and
     * gradient clipping run there, on the same terms as on the CPU.
     */
    public interface DeviceResident {
        /**
         * One update of every parameter by {@code rule}, at {@code learningRate}, the {@code step}-th (from 1).
         *
         * @param rule the optimizer's update rule
         * @param learningRate the step's learning rate
         * @param step the step's number, from 1 (Adam's bias correction reads it)
         */
        void update(Rule rule, double learningRate, int step);

        /**
         * Adds {@code l2 w + l1 sign(w)} to the gradient of every weight (not biases, not norm parameters).
         *
         * @param l1 the L1 strength
         * @param l2 the L2 strength
         */
        void regularize(double l1, double l2);

        /**
         * Scales the gradients to a global norm of at most {@code maxNorm}; returns the norm before.
         *
         * @param maxNorm the largest global norm allowed
         * @return the global norm before clipping
         */
        double clipByGlobalNorm(double maxNorm);
    }

    /** {@return this optimizer's rule, for a {@link DeviceResident} model} */
    public abstract Rule rule();

    /**
     * Applies one update with the gradients the last backward pass left.
     *
     * @param model the model whose parameters move; the same one at every step (its state is kept here)
     */
    public final void step(Model model) {
        if (this instanceof HessianFree newton) { // a whole Newton step, not an element-wise update
            newton.newtonStep(model, frozen);
            steps++;
            return;
        }
        if (model instanceof DeviceResident device) {
            steps++;
            device.update(rule(), learningRate, steps);
            return;
        }
        int size = model.parameterCount();
        if (stateSize != size) {
            stateSize = size;
            first = stateSlots() > 0 ? chunks(size) : null;
            second = stateSlots() > 1 ? chunks(size) : first;
        }
        steps++;
        if (this.model != model) {
            this.model = model;
            tensors = model.parameterTensors();
        }
        model.state().parallel(size, updateSlice);
    }

    private static float[][] chunks(int size) {
        float[][] chunks = new float[(size + BLOCK - 1) / BLOCK][];
        for (int k = 0; k < chunks.length; k++) {
            chunks[k] = new float[Math.min(BLOCK, size - k * BLOCK)];
        }
        return chunks;
    }

    /**
     * Updates the parameters in {@code [from, from + count)}, tensor by tensor, a piece of one state chunk at a
     * time: copied to the worker's heap blocks (the loops compile to vector code there, which element access to
     * direct buffers does not), updated, and the parameters copied back. Each element sees the operations of one
     * loop over whole arrays, whatever the pieces.
     */
    private void updateSlice(Worker worker, int size, int from, int count) {
        float[] p = worker.block(0);
        float[] g = worker.block(1);
        FloatBuffer parameters = model.parameters().floats();
        FloatBuffer gradients = model.gradients().floats();
        float lr = (float) learningRate;
        for (Tensor t : tensors) {
            if (!frozen.isEmpty() && frozen.contains(t)) {
                continue;
            }
            int start = Math.max(from, t.offset());
            int end = Math.min(from + count, t.offset() + t.length());
            boolean weight = t.kind() == Tensor.Kind.WEIGHT;
            for (int at = start; at < end; ) {
                int chunk = at / BLOCK;
                int o = at - chunk * BLOCK;
                int n = Math.min(BLOCK - o, end - at);
                parameters.get(at, p, o, n);
                gradients.get(at, g, o, n);
                update(p, g, first == null ? NONE : first[chunk], second == null ? NONE : second[chunk], o, o + n,
                        weight, lr);
                parameters.put(at, p, o, n);
                at += n;
            }
        }
    }

    /**
     * Skips {@code tensors} in every later step until set again (empty: skip none): their parameters are not
     * written and their state (velocity, moments) does not move, as PyTorch's optimizers skip a parameter whose
     * gradient is None. The step count, shared by all parameters here, still counts every step.
     */
    void freeze(java.util.Set<Tensor> tensors) {
        java.util.Set<Tensor> set = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        set.addAll(tensors);
        frozen = set.isEmpty() ? java.util.Set.of() : set;
    }

    /** {@return how many state arrays of the parameters' size this optimizer keeps (0, 1 or 2)} */
    protected abstract int stateSlots();

    /**
     * Updates {@code p[from, to)} from {@code g}; {@code s1}, {@code s2} hold this optimizer's state at the same
     * indices (unused beyond {@link #stateSlots()}); {@code weight} tells weights from biases and scales.
     *
     * @param p the parameters
     * @param g their gradients
     * @param s1 the first state array
     * @param s2 the second state array
     * @param from the first index updated
     * @param to the end of the updated range, exclusive
     * @param weight whether the range holds weights (weight decay applies) rather than biases or scales
     * @param lr the step's learning rate
     */
    protected abstract void update(float[] p, float[] g, float[] s1, float[] s2, int from, int to, boolean weight,
                                   float lr);

    /** Floats of state this optimizer holds (for tests: it must not depend on the thread count). */
    long stateFloats() {
        long floats = 0;
        for (float[][] state : second == first ? new float[][][] {first} : new float[][][] {first, second}) {
            for (float[] chunk : state == null ? new float[0][] : state) {
                floats += chunk.length;
            }
        }
        return floats;
    }

    /**
     * Writes the step count, the learning rate and the state arrays, for a training checkpoint
     * ({@link TrainingState}); the float bits exactly.
     */
    void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(steps);
        out.writeDouble(learningRate);
        out.writeInt(stateSize);
        out.writeInt(stateSlots());
        if (stateSize >= 0) {
            for (float[][] state : stateSlots() > 1 ? new float[][][] {first, second} : new float[][][] {first}) {
                for (float[] chunk : state == null ? new float[0][] : state) {
                    for (float v : chunk) {
                        out.writeInt(Float.floatToRawIntBits(v));
                    }
                }
            }
        }
        writeExtraState(out);
    }

    /** Writes the state an optimizer keeps besides the element-wise slots (none but {@link HessianFree}'s). */
    void writeExtraState(java.io.DataOutputStream out) throws java.io.IOException {
    }

    /** Reads what {@link #writeExtraState} wrote; throws naming {@code source} when it does not fit. */
    void readExtraState(java.io.DataInputStream in, String source) throws java.io.IOException {
    }

    /**
     * Reads what {@link #writeState} wrote, for a model of {@code parameterCount} parameters; throws naming
     * {@code source} when it does not fit, before anything changes.
     */
    void readState(java.io.DataInputStream in, int parameterCount, String source) throws java.io.IOException {
        int savedSteps = in.readInt();
        double rate = in.readDouble();
        int size = in.readInt();
        int slots = in.readInt();
        if (slots != stateSlots() || (size >= 0 && size != parameterCount)) {
            throw new java.io.IOException(source + ": expected optimizer state of " + stateSlots() + " arrays of "
                    + parameterCount + " floats, found " + slots + " of " + size);
        }
        float[][] one = size >= 0 && slots > 0 ? chunks(size) : null;
        float[][] two = size >= 0 && slots > 1 ? chunks(size) : one;
        for (float[][] state : slots > 1 ? new float[][][] {one, two} : new float[][][] {one}) {
            for (float[] chunk : state == null ? new float[0][] : state) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = Float.intBitsToFloat(in.readInt());
                }
            }
        }
        readExtraState(in, source);
        steps = savedSteps;
        learningRate = rate;
        stateSize = size;
        first = one;
        second = two;
    }

    /**
     * {@return the state as one flat array of {@code parameterCount} floats per slot ({@link #stateSlots()} of them),
     * copies: zeros before the first step, which is the state the first step starts from} For averaging the state of
     * data-parallel replicas (lamina-spark's local SGD).
     */
    float[][] flatState(int parameterCount) {
        if (stateSize >= 0 && stateSize != parameterCount) {
            throw new IllegalArgumentException("expected the state of " + parameterCount + " parameters, found one of "
                    + stateSize);
        }
        float[][] flat = new float[stateSlots()][parameterCount];
        float[][][] slots = {first, second};
        for (int s = 0; s < flat.length && stateSize >= 0; s++) {
            for (int k = 0; k < slots[s].length; k++) {
                System.arraycopy(slots[s][k], 0, flat[s], k * BLOCK, slots[s][k].length);
            }
        }
        return flat;
    }

    /**
     * Sets the state from {@link #flatState}'s layout (copied) and the step count; throws before anything changes
     * when the slots or their lengths do not fit this optimizer.
     */
    void setFlatState(float[][] flat, int stepCount) {
        if (flat.length != stateSlots()) {
            throw new IllegalArgumentException("expected " + stateSlots() + " state arrays for " + rule().name()
                    + ", found " + flat.length);
        }
        int size = flat.length == 0 ? Math.max(stateSize, 0) : flat[0].length;
        for (float[] slot : flat) {
            if (slot.length != size) {
                throw new IllegalArgumentException("expected state arrays of one length (" + size + "), found one of "
                        + slot.length);
            }
        }
        if (stepCount < 0) {
            throw new IllegalArgumentException("expected a step count of at least 0, found " + stepCount);
        }
        float[][] one = flat.length > 0 ? chunks(size) : null;
        float[][] two = flat.length > 1 ? chunks(size) : one;
        float[][][] slots = {one, two};
        for (int s = 0; s < flat.length; s++) {
            for (int k = 0; k < slots[s].length; k++) {
                System.arraycopy(flat[s], k * BLOCK, slots[s][k], 0, slots[s][k].length);
            }
        }
        if (flat.length > 0) {
            stateSize = size;
        }
        first = one;
        second = two;
        steps = stepCount;
    }

    /** Forgets the state (velocities, moments) and the step count. */
    public void reset() {
        first = null;
        second = null;
        stateSize = -1;
        steps = 0;
    }

    // ------------------------------------------------------------ the slides' optimizers, with their defaults

    /**
     * Plain gradient descent {@code theta <- theta - eps g}.
     *
     * @param learningRate eps; positive
     * @return the optimizer
     */
    public static Optimizer sgd(double learningRate) {
        return new Sgd(learningRate, 0, false);
    }

    /**
     * Momentum {@code v <- a v - eps g; theta <- theta + v}.
     *
     * @param learningRate eps; positive
     * @param momentum a, in [0, 1)
     * @return the optimizer
     */
    public static Optimizer momentum(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, false);
    }

    /**
     * Nesterov momentum, in the usual look-ahead form: {@code v <- mu v - eps g; theta <- theta + mu v - eps g}
     * (the slides' {@code grad f(theta + mu v)} with the parameters shifted by {@code mu v}).
     *
     * @param learningRate eps; positive
     * @param momentum mu, in [0, 1)
     * @return the optimizer
     */
    public static Optimizer nesterov(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, true);
    }

    /**
     * AdaGrad {@code r <- r + g.g; theta <- theta - eps g / (delta + sqrt r)}, delta 1e-7.
     *
     * @param learningRate eps; positive
     * @return the optimizer
     */
    public static Optimizer adaGrad(double learningRate) {
        return new AdaGrad(learningRate, 1e-7);
    }

    /**
     * RMSProp {@code r <- rho r + (1-rho) g.g; theta <- theta - eps g / sqrt(delta + r)}, rho 0.9, delta 1e-6.
     *
     * @param learningRate eps; positive
     * @return the optimizer
     */
    public static Optimizer rmsProp(double learningRate) {
        return new RmsProp(learningRate, 0.9, 1e-6);
    }

    /**
     * RMSProp with decay {@code rho} (in [0, 1)) and {@code delta} added under the square root (positive).
     *
     * @param learningRate eps; positive
     * @param rho the decay of the squared gradients' average
     * @param delta the stabiliser
     * @return the optimizer
     */
    public static Optimizer rmsProp(double learningRate, double rho, double delta) {
        return new RmsProp(learningRate, rho, delta);
    }

    /**
     * Adam with eps 1e-3, rho1 0.9, rho2 0.999, delta 1e-8.
     *
     * @return the optimizer
     */
    public static Optimizer adam() {
        return new Adam(1e-3, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * Adam at {@code learningRate}, with rho1 0.9, rho2 0.999, delta 1e-8.
     *
     * @param learningRate eps; positive
     * @return the optimizer
     */
    public static Optimizer adam(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * Adam with decay {@code rho1} for the first moment, {@code rho2} for the second (each in [0, 1)) and {@code delta}
     * added to the second moment's square root.
     *
     * @param learningRate eps; positive
     * @param rho1 the first moment's decay
     * @param rho2 the second moment's decay
     * @param delta the stabiliser
     * @return the optimizer
     */
    public static Optimizer adam(double learningRate, double rho1, double rho2, double delta) {
        return new Adam(learningRate, rho1, rho2, delta, 0);
    }

    /**
     * Hessian-free (truncated Newton, Martens 2010) with its defaults: initial damping 1, at most 10 conjugate
     * gradient iterations per step, on the Gauss-Newton curvature (the exact Hessian through {@link
     * HessianFree#curvature}); see {@link HessianFree}. Needs a network declared {@code @Network(secondOrder =
     * true)}, on the CPU.
     *
     * @return the optimizer
     */
    public static HessianFree hessianFree() {
        return new HessianFree(1.0, 10);
    }

    /**
     * Hessian-free with initial damping {@code damping} (at least 0) and at most {@code cgIterations} conjugate
     * gradient iterations per step (at least 1), on the Gauss-Newton curvature; see {@link HessianFree}.
     *
     * @param damping the initial Levenberg-Marquardt damping lambda
     * @param cgIterations the most conjugate gradient iterations per step
     * @return the optimizer
     */
    public static HessianFree hessianFree(double damping, int cgIterations) {
        return new HessianFree(damping, cgIterations);
    }

    /**
     * AdamW: Adam with decoupled weight decay {@code theta <- theta - eps lambda theta} on weights only.
     *
     * @param learningRate eps; positive
     * @param weightDecay lambda, at least 0
     * @return the optimizer
     */
    public static Optimizer adamW(double learningRate, double weightDecay) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8, weightDecay);
    }
}
