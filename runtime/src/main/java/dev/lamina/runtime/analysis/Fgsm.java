package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;

/**
 * Adversarial examples by the fast gradient sign method (Goodfellow et al. 2015): every input value moves by
 * {@code epsilon} in the sign of the loss's gradient, {@code x + epsilon * sign(d loss / d x)}, then is clipped to
 * the valid {@link #range} (a value whose gradient is exactly 0 stays). {@link #iterate} is the iterated method
 * (basic iterative method, Kurakin et al. 2017): steps of {@code alpha}, each projected back onto the
 * {@code epsilon}-ball around the original (the largest change per value stays {@code epsilon}) and the range.
 * The loss is the network's built-in loss against the given targets; gradients are taken in inference mode (the
 * model's mode and input-gradient setting are restored after), so the attack is deterministic.
 *
 * <p>{@link #accuracy}, {@link #iteratedAccuracy} and {@link #noiseAccuracy} measure a data set's accuracy under
 * the attack and under random-sign noise of the same size ({@code x + epsilon * s}, each {@code s} +-1 at random,
 * clipped the same way): a network that is merely fragile to any change of that size loses accuracy under both; a
 * gap between them is what the gradient's direction buys.
 */
public final class Fgsm {
    private final Model model;
    private final double epsilon;
    private double low = Double.NEGATIVE_INFINITY;
    private double high = Double.POSITIVE_INFINITY;

    private Fgsm(Model model, double epsilon) {
        this.model = model;
        this.epsilon = epsilon;
    }

    /**
     * {@return the attack on {@code model} with a largest change {@code epsilon} per input value, unclipped until
     * {@link #range} says otherwise}
     *
     * @param model the classifier attacked
     * @param epsilon the largest change per input value
     * @throws IllegalArgumentException when {@code epsilon} is not finite and {@code >= 0}
     */
    public static Fgsm of(Model model, double epsilon) {
        if (!(epsilon >= 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("expected a finite epsilon >= 0, found " + epsilon);
        }
        return new Fgsm(model, epsilon);
    }

    /**
     * Clips every perturbed value to {@code [low, high]}, the inputs' valid range (pixels in [0, 1], ...).
     *
     * @param low the smallest valid input value
     * @param high the largest valid input value
     * @return this attack
     */
    public Fgsm range(double low, double high) {
        if (!(low < high) || Double.isNaN(low) || Double.isNaN(high)) {
            throw new IllegalArgumentException("expected a range with low < high, found [" + low + ", " + high + "]");
        }
        this.low = low;
        this.high = high;
        return this;
    }

    /** {@return the largest change per input value the attack makes, as given to {@link #of}} */
    public double epsilon() {
        return epsilon;
    }

    /**
     * {@return one FGSM step on the {@code n} samples stored one after another in {@code x} (channels first), with
     * their
     * {@code targets} ({@code n x outputSize}, what the loss compares with): the adversarial inputs, a new array}
     *
     * @param x the samples
     * @param targets their targets
     * @param n the number of samples
     * @throws IllegalArgumentException when {@code x} or {@code targets} does not hold {@code n} rows
     */
    public float[] attack(float[] x, float[] targets, int n) {
        checkRows(x, targets, n);
        float[] gradient;
        try (InputGradients run = InputGradients.open(model)) {
            gradient = run.lossGradient(x, targets, n, new double[1]);
        }
        float[] adversarial = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            adversarial[i] = clip(x[i] + epsilon * Math.signum(gradient[i]));
        }
        return adversarial;
    }

    /**
     * {@return the iterated attack: {@code steps} FGSM steps of size {@code alpha}, each followed by the projection
     * onto
     * {@code [x - epsilon, x + epsilon]} and the range} Kurakin et al. take, for pixels in [0, 255], steps of 1
     * and {@code min(epsilon + 4, 1.25 epsilon)} of them: a step smaller than epsilon, taken more often than
     * {@code epsilon / alpha} times, so that the path can turn.
     *
     * @param x the samples
     * @param targets their targets
     * @param n the number of samples
     * @param steps the number of steps; at least 1
     * @param alpha each step's size
     * @throws IllegalArgumentException when {@code steps < 1}, {@code alpha} is not positive, or the rows do not match
     *     {@code n}
     */
    public float[] iterate(float[] x, float[] targets, int n, int steps, double alpha) {
        checkRows(x, targets, n);
        if (steps < 1 || !(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("expected at least one step of a finite alpha > 0, found " + steps
                    + " steps of " + alpha);
        }
        float[] current = x.clone();
        try (InputGradients run = InputGradients.open(model)) {
            double[] loss = new double[1];
            for (int t = 0; t < steps; t++) {
                float[] gradient = run.lossGradient(current, targets, n, loss);
                for (int i = 0; i < x.length; i++) {
                    double moved = current[i] + alpha * Math.signum(gradient[i]);
                    double projected = Math.min(Math.max(moved, x[i] - epsilon), x[i] + epsilon);
                    current[i] = clip(projected);
                }
            }
        }
        return current;
    }

    /**
     * Random-sign noise of the attack's size: {@code x + epsilon * s}, each {@code s} +1 or -1 with equal chance
     * (drawn from {@code rng}), clipped to the range; a new array.
     *
     * @param x the samples
     * @param rng where the signs are drawn
     * @return the noisy samples
     */
    public float[] noise(float[] x, Rng rng) {
        float[] noisy = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            noisy[i] = clip(x[i] + (rng.nextInt(2) == 0 ? -epsilon : epsilon));
        }
        return noisy;
    }

    /**
     * {@return the share of {@code data} classified correctly after one FGSM step, attacked {@code batchSize} at a
     * time}
     *
     * @param data the samples and their targets
     * @param batchSize samples attacked at a time
     */
    public double accuracy(Dataset data, int batchSize) {
        return AttackedAccuracy.of(model, data, batchSize, this::attack);
    }

    /**
     * {@return the share of {@code data} classified correctly after the iterated attack ({@link #iterate})}
     *
     * @param data the samples and their targets
     * @param batchSize samples attacked at a time
     * @param steps the number of steps; at least 1
     * @param alpha each step's size
     */
    public double iteratedAccuracy(Dataset data, int batchSize, int steps, double alpha) {
        return AttackedAccuracy.of(model, data, batchSize, (x, targets, n) -> iterate(x, targets, n, steps, alpha));
    }

    /**
     * {@return the share of {@code data} classified correctly under random-sign noise of size epsilon (seeded)}
     *
     * @param data the samples and their targets
     * @param batchSize samples perturbed at a time
     * @param seed the noise's seed
     */
    public double noiseAccuracy(Dataset data, int batchSize, long seed) {
        Rng rng = new Rng(seed);
        return AttackedAccuracy.of(model, data, batchSize, (x, targets, n) -> noise(x, rng));
    }

    private float clip(double value) {
        return (float) Math.min(Math.max(value, low), high);
    }

    private void checkRows(float[] x, float[] targets, int n) {
        InputGradients.checkInputs(model, x, n);
        long expected = (long) n * model.outputSize();
        if (targets.length != expected) {
            throw new IllegalArgumentException("expected " + n + " x " + model.outputSize() + " = " + expected
                    + " target values, found " + targets.length);
        }
    }
}
