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
    private float[] first;
    private float[] second;
    /** The parameter count the state was made for. */
    private int stateSize;
    /** The model of the step in progress, and its tensors (cached: a step allocates nothing). */
    private Model model;
    private List<Tensor> tensors;
    private final Workers.RowTask updateSlice = this::updateSlice;

    /**
     * Floats per block of an update: small enough that its four arrays stay in the L1 cache. Each worker copies
     * a block of the parameters, gradients and state into its own fixed heap blocks ({@link Worker#block}) at
     * index 0, so that every array in an update loop is read at one index (what the JIT needs to vectorise it),
     * and the optimizer needs no memory per thread beyond those blocks.
     */
    static final int BLOCK = 2048;

    protected Optimizer(double learningRate) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    public double learningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    /** Number of steps taken so far (Adam's bias correction counts them). */
    public int steps() {
        return steps;
    }

    /**
     * An update rule as another engine applies it (the GPU path): its name ({@code sgd}, {@code nesterov},
     * {@code adam}, {@code adagrad}, {@code rmsprop}) and its constants, the CPU's own values.
     */
    public record Rule(String name, double momentum, double rho1, double rho2, double delta, double weightDecay) {
    }

    /**
     * A model whose parameters and gradients live on another device: the update, a regularizer's penalty and
     * gradient clipping run there, on the same terms as on the CPU.
     */
    public interface DeviceResident {
        /** One update of every parameter by {@code rule}, at {@code learningRate}, the {@code step}-th (from 1). */
        void update(Rule rule, double learningRate, int step);

        /** Adds {@code l2 w + l1 sign(w)} to the gradient of every weight (not biases, not norm parameters). */
        void regularize(double l1, double l2);

        /** Scales the gradients to a global norm of at most {@code maxNorm}; returns the norm before. */
        double clipByGlobalNorm(double maxNorm);
    }

    /** This optimizer's rule, for a {@link DeviceResident} model. */
    public abstract Rule rule();

    /** Applies one update with the gradients the last backward pass left. */
    public final void step(Model model) {
        if (model instanceof DeviceResident device) {
            steps++;
            device.update(rule(), learningRate, steps);
            return;
        }
        int size = model.parameterCount();
        if (first == null || stateSize != size) {
            stateSize = size;
            first = new float[stateSlots() > 0 ? size : 0];
            second = stateSlots() > 1 ? new float[size] : first;
        }
        steps++;
        if (this.model != model) {
            this.model = model;
            tensors = model.parameterTensors();
        }
        model.state().parallel(size, updateSlice);
    }

    /** Updates the parameters in {@code [from, from + count)}, tensor by tensor, a block at a time. */
    private void updateSlice(Worker worker, int size, int from, int count) {
        for (Tensor t : tensors) {
            int start = Math.max(from, t.offset());
            int end = Math.min(from + count, t.offset() + t.length());
            for (int at = start; at < end; at += BLOCK) {
                updateBlock(worker, at, Math.min(BLOCK, end - at), t.kind() == Tensor.Kind.WEIGHT);
            }
        }
    }

    /**
     * Copies a block of the parameters, gradients and state to the worker's heap blocks, updates it there (the
     * loops compile to vector code, which element access to direct buffers does not), and copies the parameters
     * and state back. Each element sees the same operations as in one pass over whole arrays.
     */
    private void updateBlock(Worker worker, int at, int count, boolean weight) {
        float[] p = worker.block(0);
        float[] g = worker.block(1);
        int slots = stateSlots();
        float[] s1 = worker.block(2);
        float[] s2 = worker.block(3);
        FloatBuffer parameters = model.parameters().floats();
        parameters.get(at, p, 0, count);
        model.gradients().floats().get(at, g, 0, count);
        if (slots > 0) {
            System.arraycopy(first, at, s1, 0, count);
        }
        if (slots > 1) {
            System.arraycopy(second, at, s2, 0, count);
        }
        update(p, g, s1, s2, 0, count, weight, (float) learningRate);
        parameters.put(at, p, 0, count);
        if (slots > 0) {
            System.arraycopy(s1, 0, first, at, count);
        }
        if (slots > 1) {
            System.arraycopy(s2, 0, second, at, count);
        }
    }

    /** How many state arrays of the parameters' size this optimizer keeps (0, 1 or 2). */
    protected abstract int stateSlots();

    /**
     * Updates {@code p[from, to)} from {@code g}; {@code s1}, {@code s2} hold this optimizer's state at the same
     * indices (unused beyond {@link #stateSlots()}); {@code weight} tells weights from biases and scales.
     */
    protected abstract void update(float[] p, float[] g, float[] s1, float[] s2, int from, int to, boolean weight,
                                   float lr);

    /** Floats of state this optimizer holds (for tests: it must not depend on the thread count). */
    long stateFloats() {
        return first == null ? 0 : first.length + (second == first ? 0 : second.length);
    }

    /** Forgets the state (velocities, moments) and the step count. */
    public void reset() {
        first = null;
        second = null;
        steps = 0;
    }

    // ------------------------------------------------------------ the slides' optimizers, with their defaults

    /** Plain gradient descent {@code theta <- theta - eps g}. */
    public static Optimizer sgd(double learningRate) {
        return new Sgd(learningRate, 0, false);
    }

    /** Momentum {@code v <- a v - eps g; theta <- theta + v}. */
    public static Optimizer momentum(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, false);
    }

    /**
     * Nesterov momentum, in the usual look-ahead form: {@code v <- mu v - eps g; theta <- theta + mu v - eps g}
     * (the slides' {@code grad f(theta + mu v)} with the parameters shifted by {@code mu v}).
     */
    public static Optimizer nesterov(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, true);
    }

    /** AdaGrad {@code r <- r + g.g; theta <- theta - eps g / (delta + sqrt r)}, delta 1e-7. */
    public static Optimizer adaGrad(double learningRate) {
        return new AdaGrad(learningRate, 1e-7);
    }

    /** RMSProp {@code r <- rho r + (1-rho) g.g; theta <- theta - eps g / sqrt(delta + r)}, rho 0.9, delta 1e-6. */
    public static Optimizer rmsProp(double learningRate) {
        return new RmsProp(learningRate, 0.9, 1e-6);
    }

    public static Optimizer rmsProp(double learningRate, double rho, double delta) {
        return new RmsProp(learningRate, rho, delta);
    }

    /** Adam with eps 1e-3, rho1 0.9, rho2 0.999, delta 1e-8. */
    public static Optimizer adam() {
        return new Adam(1e-3, 0.9, 0.999, 1e-8, 0);
    }

    public static Optimizer adam(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8, 0);
    }

    public static Optimizer adam(double learningRate, double rho1, double rho2, double delta) {
        return new Adam(learningRate, rho1, rho2, delta, 0);
    }

    /** AdamW: Adam with decoupled weight decay {@code theta <- theta - eps lambda theta} on weights only. */
    public static Optimizer adamW(double learningRate, double weightDecay) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8, weightDecay);
    }
}
