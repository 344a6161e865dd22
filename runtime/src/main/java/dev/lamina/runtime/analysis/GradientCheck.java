package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Model;
import java.nio.FloatBuffer;

/**
 * Compares backpropagated gradients with central differences, in the mode the model is in. Dropout masks are
 * redrawn identically for every evaluation, so networks with dropout can be checked too. Costs four forward
 * passes per parameter checked: use small networks, or a stride.
 *
 * <p>Why the limit is derived, not fixed: the forward pass runs in float32, so each loss carries a rounding error
 * whose size depends on the network and on the BLAS kernels the machine picks. A fixed relative limit on a plain
 * difference quotient was a coin toss (one network passed or failed with the OpenBLAS core type). Here:
 * <ul>
 *   <li>each difference divides by the step actually taken, {@code fl(w + h) - fl(w - h)}, not by {@code 2h};
 *   <li>the derivative is Richardson's extrapolation {@code (4 D(h/2) - D(h)) / 3} of the central differences
 *       {@code D(h) = (E(w + h) - E(w - h)) / 2h}: its truncation error is O(h^4) instead of O(h^2);
 *   <li>the loss's rounding error {@code noise} is measured on this network: half the second difference
 *       {@code |E(w + d) + E(w - d) - 2 E(w)| / 2} over steps {@code d} of a few ulps, where the true change is far
 *       below float resolution, so what is left is rounding alone; the largest over several parameters, times 4,
 *       and never below 4 float ulps of the loss;
 *   <li>a parameter passes when {@code |analytic - numeric| <= relative max(|analytic|, |numeric|) + 3 noise / h}:
 *       {@code 3 noise / h} bounds what that noise does to the extrapolated quotient.
 * </ul>
 */
public final class GradientCheck {
    private static final long DROPOUT_SEED = 12345;
    /** Parameters whose second differences measure the loss's rounding noise. */
    private static final int NOISE_PROBES = 12;
    /** The probes' step, in ulps of the parameter: the loss's true change is then far below its rounding. */
    private static final int NOISE_STEP_ULPS = 4;
    private static final double NOISE_MARGIN = 4;

    /**
     * The result of a check. {@code worstRatio} is the largest {@code |analytic - numeric| / limit}, at
     * {@code worstIndex}; {@code failed} counts the parameters whose ratio exceeds 1 (with ReLU or max pooling, a
     * difference that straddles a kink is wrong by construction, so such networks may allow a few).
     *
     * @param worstRatio the largest difference over its limit
     * @param worstIndex the parameter (or input value) where it was found
     * @param analytic the backward pass's derivative there
     * @param numeric the finite differences' derivative there
     * @param limit the limit there
     * @param noise the loss's measured rounding noise
     * @param checked how many values were checked
     * @param failed how many exceeded their limit
     */
    public record Result(double worstRatio, int worstIndex, double analytic, double numeric, double limit,
                         double noise, int checked, int failed) {
        /** {@return whether every checked parameter was within its limit ({@code failed == 0})} */
        public boolean passed() {
            return failed == 0;
        }
    }

    private GradientCheck() {
    }

    /**
     * Checks every {@code stride}-th parameter on a batch of {@code n} samples, with steps {@code h} and
     * {@code h/2} and a relative limit {@code relative} (on top of the measured rounding noise's share).
     *
     * @param model the network checked
     * @param inputs the batch's inputs, one after another
     * @param targets the batch's targets, one after another
     * @param n the number of samples
     * @param h the finite-difference step
     * @param stride every how many parameters one is checked; at least 1
     * @param relative the relative limit
     * @return the outcome
     */
    public static Result check(Model model, float[] inputs, float[] targets, int n, double h, int stride,
                               double relative) {
        load(model, inputs, targets, n);
        double base = loss(model, n);
        model.backward(n);
        float[] analytic = model.gradients().toArray();
        FloatBuffer p = model.parameters().floats();
        return compare(model, n, analytic, new Coordinates() {
            @Override
            public float get(int i) {
                return p.get(i);
            }

            @Override
            public void set(int i, float value) {
                p.put(i, value);
            }
        }, base, h, stride, relative);
    }

    /**
     * Checks the gradient with respect to every {@code stride}-th input value (the mean loss's, which
     * {@link Model#inputGradient()} gives after a backward pass that {@link Model#computeInputGradient} asked for)
     * on a batch of {@code n} samples, as {@link #check} does for parameters; leaves input gradients off.
     *
     * @param model the network checked
     * @param inputs the batch's inputs, one after another
     * @param targets the batch's targets, one after another
     * @param n the number of samples
     * @param h the finite-difference step
     * @param stride every how many input values one is checked; at least 1
     * @param relative the relative limit
     * @return the outcome
     */
    public static Result checkInput(Model model, float[] inputs, float[] targets, int n, double h, int stride,
                                    double relative) {
        float[] x = inputs.clone();
        int size = model.inputSize();
        load(model, x, targets, n);
        double base = loss(model, n);
        model.computeInputGradient(true);
        try {
            model.backward(n);
        } finally {
            model.computeInputGradient(false);
        }
        float[] analytic = model.inputGradient();
        return compare(model, n, analytic, new Coordinates() {
            @Override
            public float get(int i) {
                return x[i];
            }

            @Override
            public void set(int i, float value) {
                x[i] = value;
                int row = i / size;
                model.setInput(row, x, row * size);
            }
        }, base, h, stride, relative);
    }

    /** What a check perturbs: the parameters, or the inputs. */
    private interface Coordinates {
        float get(int i);

        void set(int i, float value);
    }

    private static Result compare(Model model, int n, float[] analytic, Coordinates w, double base, double h,
                                  int stride, double relative) {
        double noise = noise(model, n, w, analytic.length, base);
        double worst = -1;
        int worstAt = -1;
        double worstA = 0;
        double worstN = 0;
        double worstLimit = 0;
        int checked = 0;
        int failed = 0;
        for (int i = 0; i < analytic.length; i += stride) {
            double wide = difference(model, n, w, i, h);
            double narrow = difference(model, n, w, i, h / 2);
            double numeric = (4 * narrow - wide) / 3;
            double limit = relative * Math.max(Math.abs(analytic[i]), Math.abs(numeric)) + 3 * noise / h;
            double ratio = Math.abs(analytic[i] - numeric) / limit;
            checked++;
            failed += ratio > 1 ? 1 : 0;
            if (ratio > worst) {
                worst = ratio;
                worstAt = i;
                worstA = analytic[i];
                worstN = numeric;
                worstLimit = limit;
            }
        }
        return new Result(worst, worstAt, worstA, worstN, worstLimit, noise, checked, failed);
    }

    /** {@code (E(fl(w + h)) - E(fl(w - h))) / (fl(w + h) - fl(w - h))} for coordinate {@code i}, restored after. */
    private static double difference(Model model, int n, Coordinates w, int i, double h) {
        float original = w.get(i);
        float up = (float) (original + h);
        float down = (float) (original - h);
        w.set(i, up);
        double plus = loss(model, n);
        w.set(i, down);
        double minus = loss(model, n);
        w.set(i, original);
        return (plus - minus) / ((double) up - down);
    }

    /** The bound on the loss's rounding error described on the class, measured at coordinates spread evenly. */
    private static double noise(Model model, int n, Coordinates w, int count, double base) {
        double largest = 4 * Math.ulp((float) Math.max(Math.abs(base), Float.MIN_NORMAL));
        int probes = Math.min(NOISE_PROBES, count);
        for (int k = 0; k < probes; k++) {
            int i = (int) ((long) k * count / probes);
            float original = w.get(i);
            float step = NOISE_STEP_ULPS * Math.ulp(Math.max(Math.abs(original), 1e-3f));
            w.set(i, original + step);
            double plus = loss(model, n);
            w.set(i, original - step);
            double minus = loss(model, n);
            w.set(i, original);
            largest = Math.max(largest, NOISE_MARGIN * Math.abs(plus + minus - 2 * base) / 2);
        }
        return largest;
    }

    /**
     * {@return the loss at the current parameters, with the checker's dropout masks}
     *
     * @param model the network
     * @param n the rows loaded
     */
    public static double loss(Model model, int n) {
        model.state().reseedDropout(DROPOUT_SEED);
        model.forward(n);
        return model.loss(n);
    }

    /**
     * Reserves {@code n} rows and sets row {@code r}'s input and target from {@code inputs[r * inputSize]} and {@code
     * targets[r * outputSize]}, the batch a check then differentiates.
     *
     * @param model the network
     * @param inputs the inputs, one after another
     * @param targets the targets, one after another
     * @param n the number of samples
     */
    public static void load(Model model, float[] inputs, float[] targets, int n) {
        model.reserve(n);
        for (int r = 0; r < n; r++) {
            model.setInput(r, inputs, r * model.inputSize());
            model.setTarget(r, targets, r * model.outputSize());
        }
    }
}
