package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.Worker;
import dev.lamina.runtime.Workers;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Updates a model's parameters from its gradients: one fused loop over the flat arrays per tensor, the flat
 * range split over the {@link Workers} (the update is element-wise, so the split does not change the result).
 * The state (velocities, moment estimates) is allocated on the first step, on the heap: only this class reads it.
 */
public abstract class Optimizer {
    private double learningRate;
    private int steps;
    private float[] first;
    private float[] second;
    /** The model of the step in progress, and its tensors (cached: a step allocates nothing). */
    private Model model;
    private List<Tensor> tensors;
    private final Workers.RowTask updateSlice = this::updateSlice;

    /** Floats per block of an update: small enough to stay in the L1 cache. */
    private static final int BLOCK = 2048;
    /**
     * Each thread's heap copies of the parameters and gradients, as long as the model's arrays: a block is copied
     * to the same index as the state's, so that every array in an update loop is read at one index (what the JIT
     * needs to vectorise it).
     */
    private static final ThreadLocal<float[][]> COPIES = ThreadLocal.withInitial(() -> new float[2][0]);

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
        if (first == null || first.length != size) {
            first = new float[size];
            second = stateSlots() > 1 ? new float[size] : first;
        }
        steps++;
        if (this.model != model) {
            this.model = model;
            tensors = model.parameterTensors();
        }
        Workers.shared().run(size, updateSlice);
    }

    /** Updates the parameters in {@code [from, from + count)}, tensor by tensor, a block at a time. */
    private void updateSlice(Worker worker, int size, int from, int count) {
        for (Tensor t : tensors) {
            int start = Math.max(from, t.offset());
            int end = Math.min(from + count, t.offset() + t.length());
            for (int at = start; at < end; at += BLOCK) {
                updateBlock(at, Math.min(BLOCK, end - at), t.kind() == Tensor.Kind.WEIGHT);
            }
        }
    }

    /**
     * Copies a block of the parameters and gradients to this thread's heap arrays, updates it there with the
     * state (the loops compile to vector code, which element access to direct buffers does not), and copies the
     * parameters back.
     */
    private void updateBlock(int at, int count, boolean weight) {
        float[][] copies = COPIES.get();
        if (copies[0].length < first.length) {
            copies[0] = new float[first.length];
            copies[1] = new float[first.length];
        }
        float[] p = copies[0];
        float[] g = copies[1];
        FloatBuffer parameters = model.parameters().floats();
        parameters.get(at, p, at, count);
        model.gradients().floats().get(at, g, at, count);
        update(p, g, first, second, at, at + count, weight, (float) learningRate);
        parameters.put(at, p, at, count);
    }

    /** How many state arrays of the parameters' size this optimizer keeps (0, 1 or 2). */
    protected abstract int stateSlots();

    /**
     * Updates {@code p[from, to)} from {@code g}; {@code s1}, {@code s2} hold this optimizer's state at the same
     * indices (unused beyond {@link #stateSlots()}); {@code weight} tells weights from biases and scales.
     */
    protected abstract void update(float[] p, float[] g, float[] s1, float[] s2, int from, int to, boolean weight,
                                   float lr);

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
