package dev.lamina.runtime.train;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Chain;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trains a generative adversarial network as the slides give Goodfellow et al.'s algorithm (2014): each iteration
 * makes {@link #discriminatorSteps k} discriminator steps, each on {@link #batchSize m} noise samples and m data
 * samples, then one generator step on m noise samples.
 * <ul>
 *   <li>Discriminator step: the generator makes m samples from noise, and the discriminator's parameters descend
 *       the gradient of {@code (1/m) sum_i [-log D(x_i) - log(1 - D(G(z_i)))]}, the sigmoid cross-entropy of its
 *       logit against 1 for data and 0 for generated samples, summed over both halves and divided by m (the slides'
 *       ascent on {@code log D(x) + log(1 - D(G(z)))}). Data and generated samples go through the discriminator as
 *       one batch of 2m rows (a discriminator with batch norm sees both in the same statistics; DCGAN's reference
 *       code normalises them in separate batches).</li>
 *   <li>Generator step: the generator's parameters descend, through the discriminator ({@link Chain}), the mean of
 *       {@code -log D(G(z))} over m noise samples (the non-saturating loss, by default) or of
 *       {@code log(1 - D(G(z)))} (the saturating one of the minimax game, {@link GeneratorLoss#SATURATING}). The
 *       discriminator's parameters are not stepped: they are bit for bit what they were (its gradients are
 *       overwritten; its batch norm's running statistics, if any, move in training mode as in PyTorch).</li>
 * </ul>
 * Each network has its own optimizer (momentum SGD by default, as in the paper; Adam for DCGAN). Noise is drawn
 * from a seeded generator, so two trainers with the same seed, networks and data train bitwise alike. Both
 * networks run in training mode during the steps; {@link #fit} leaves them in inference mode.
 *
 * <pre>{@code
 * GanTrainer gan = GanTrainer.of(generator, discriminator)
 *         .generatorOptimizer(Optimizer.adam(2e-4, 0.5, 0.999, 1e-8))
 *         .discriminatorOptimizer(Optimizer.adam(2e-4, 0.5, 0.999, 1e-8))
 *         .batchSize(64).seed(1);
 * gan.fit(images, 5, (epoch, losses) -> ImageGrid.write(...generator.predict(fixedNoise, 64)...));
 * }</pre>
 */
public final class GanTrainer {
    /** The generator's loss on the discriminator's logit {@code l} of a generated sample ({@code D = sigmoid(l)}). */
    public enum GeneratorLoss {
        /** {@code -log D(G(z))}: strong gradients while the discriminator rejects the samples (the default). */
        NON_SATURATING,
        /** {@code log(1 - D(G(z)))}: the minimax game's own term, whose gradient vanishes while D rejects them. */
        SATURATING;

        /** The loss at logit {@code l}, computed without overflow. */
        double value(double l) {
            return this == NON_SATURATING ? softplus(-l) : -softplus(l);
        }

        /** Its derivative with respect to {@code l}. */
        double derivative(double l) {
            return this == NON_SATURATING ? sigmoid(l) - 1 : -sigmoid(l);
        }
    }

    /** The distribution of the generator's input noise, each value independent. */
    public enum Noise {
        /** Standard normal. */
        NORMAL,
        /** Uniform in [-1, 1). */
        UNIFORM;

        /**
         * {@code count} values drawn from {@code rng}.
         *
         * @param rng the generator to draw from
         * @param count how many values
         * @return the values
         */
        public float[] draw(Rng rng, int count) {
            float[] z = new float[count];
            for (int i = 0; i < count; i++) {
                z[i] = this == NORMAL ? (float) rng.nextGaussian() : 2 * rng.nextFloat() - 1;
            }
            return z;
        }
    }

    /**
     * Mean losses: the discriminator's (per its step, see the class comment) and the generator's.
     *
     * @param discriminator the discriminator's mean loss
     * @param generator the generator's mean loss
     */
    public record Losses(double discriminator, double generator) {
    }

    /** Hears the mean losses of every epoch of {@link #fit}, after its last step (write a picture there). */
    @FunctionalInterface
    public interface EpochListener {
        /**
         * Called after epoch {@code epoch} (from 1) with its mean losses; an exception it throws ends {@link #fit}.
         *
         * @param epoch the epoch just finished, from 1
         * @param mean the epoch's mean losses
         * @throws Exception anything; it ends the fit
         */
        void epochFinished(int epoch, Losses mean) throws Exception;
    }

    private final Model generator;
    private final Model discriminator;
    private final Chain chain;
    private Optimizer generatorOptimizer = Optimizer.momentum(0.01, 0.5);
    private Optimizer discriminatorOptimizer = Optimizer.momentum(0.01, 0.5);
    private GeneratorLoss generatorLoss = GeneratorLoss.NON_SATURATING;
    private Noise noise = Noise.NORMAL;
    private int k = 1;
    private int m = 64;
    private Rng rng = new Rng(1);
    /** Steps taken (discriminator and generator), from 1 in messages. */
    private long steps;
    /** Where {@link #fit} is, for messages: epoch and iteration from 1 (0 outside a fit), iterations per epoch. */
    private int epoch;
    private int iteration;
    private int iterations;

    private GanTrainer(Model generator, Model discriminator) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.chain = Chain.of(generator, discriminator);
    }

    /**
     * {@return a trainer for {@code generator} (noise in, a sample out) and {@code discriminator} (a sample in, one
     * logit out,
     * trained with {@link Loss#SIGMOID_CROSS_ENTROPY})}
     *
     * @param generator the network that maps noise to samples
     * @param discriminator the network that scores samples as real (one logit)
     * @throws IllegalArgumentException when the discriminator has another loss or more than one output, or the
     *     generator's output size is not the discriminator's input size
     */
    public static GanTrainer of(Model generator, Model discriminator) {
        if (discriminator.lossKind() != Loss.SIGMOID_CROSS_ENTROPY || discriminator.outputSize() != 1) {
            throw new IllegalArgumentException("expected a discriminator with one output trained with "
                    + Loss.SIGMOID_CROSS_ENTROPY + " (a logit: real 1, generated 0), found " + discriminator.name()
                    + " with " + discriminator.outputSize() + " outputs and " + discriminator.lossKind());
        }
        return new GanTrainer(generator, discriminator);
    }

    /**
     * The generator's optimizer (momentum SGD, learning rate 0.01, momentum 0.5, by default).
     *
     * @param optimizer the optimizer of the generator's steps
     * @return this trainer
     */
    public GanTrainer generatorOptimizer(Optimizer optimizer) {
        this.generatorOptimizer = own(optimizer, discriminatorOptimizer);
        return this;
    }

    /**
     * The discriminator's optimizer (momentum SGD, learning rate 0.01, momentum 0.5, by default).
     *
     * @param optimizer the optimizer of the discriminator's steps
     * @return this trainer
     */
    public GanTrainer discriminatorOptimizer(Optimizer optimizer) {
        this.discriminatorOptimizer = own(optimizer, generatorOptimizer);
        return this;
    }

    /** Refuses one optimizer for both networks: it keeps state (velocities, moments) for one set of parameters. */
    private static Optimizer own(Optimizer optimizer, Optimizer other) {
        if (optimizer == other) {
            throw new IllegalArgumentException("expected an optimizer for each network, found the same one for both: "
                    + "an optimizer keeps per-parameter state (velocities, moments) for one network");
        }
        return optimizer;
    }

    /**
     * {@link GeneratorLoss#NON_SATURATING} by default.
     *
     * @param loss the loss the generator minimises
     * @return this trainer
     */
    public GanTrainer generatorLoss(GeneratorLoss loss) {
        this.generatorLoss = loss;
        return this;
    }

    /**
     * {@link Noise#NORMAL} by default.
     *
     * @param noise the distribution of the generator's input
     * @return this trainer
     */
    public GanTrainer noise(Noise noise) {
        this.noise = noise;
        return this;
    }

    /**
     * k, the discriminator steps per generator step (1 by default, as in the paper's experiments).
     *
     * @param k discriminator steps per generator step; at least 1
     * @return this trainer
     */
    public GanTrainer discriminatorSteps(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("expected at least 1 discriminator step per iteration, found " + k);
        }
        this.k = k;
        return this;
    }

    /**
     * m, the noise samples (and data samples) of each step; 64 by default.
     *
     * @param m samples per step; at least 1
     * @return this trainer
     */
    public GanTrainer batchSize(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("expected a batch of at least 1 sample, found " + m);
        }
        this.m = m;
        return this;
    }

    /**
     * Restarts the noise and shuffling from {@code seed} (1 by default).
     *
     * @param seed any value
     * @return this trainer
     */
    public GanTrainer seed(long seed) {
        this.rng = new Rng(seed);
        return this;
    }

    /**
     * {@return the generator's input noise for {@code n} samples, drawn from this trainer's noise distribution}
     *
     * @param n the number of samples
     */
    public float[] drawNoise(int n) {
        return noise.draw(rng, Math.multiplyExact(n, generator.inputSize()));
    }

    /**
     * Trains for {@code epochs} passes over {@code data} (whose samples are the discriminator's inputs, channels
     * first; targets are not read): each epoch shuffles the data and runs {@code size / (k m)} iterations, each
     * discriminator step on the next m samples of the order. Returns the mean losses of every epoch; leaves both
     * networks in inference mode.
     *
     * @param data the real samples
     * @param epochs passes over {@code data}; at least 1
     * @param listener hears each epoch's mean losses (null: none)
     * @return each epoch's mean losses, in order
     * @throws IllegalArgumentException when a sample's size is not the discriminator's input size or the data
     *         hold fewer than k m samples
     * @throws NonFiniteException when a loss or gradient is not finite (before the step it would spoil)
     * @throws Exception what the listener throws
     */
    public List<Losses> fit(Dataset data, int epochs, EpochListener listener) throws Exception {
        if (data.featureSize() != discriminator.inputSize()) {
            throw new IllegalArgumentException("expected samples of " + discriminator.inputSize() + " values (the "
                    + "discriminator's input " + Arrays.toString(discriminator.inputShape()) + "), found "
                    + Arrays.toString(data.shape()));
        }
        iterations = data.size() / (k * m);
        if (iterations == 0) {
            throw new IllegalArgumentException("expected at least k m = " + k + " x " + m + " = " + (k * m)
                    + " samples for one iteration, found " + data.size());
        }
        List<Losses> history = new ArrayList<>();
        int[] order = new int[data.size()];
        float[] real = new float[m * data.featureSize()];
        int[] rows = new int[m];
        try {
            for (int e = 0; e < epochs; e++) {
                epoch = e + 1;
                shuffle(order);
                double d = 0;
                double g = 0;
                for (int it = 0; it < iterations; it++) {
                    iteration = it + 1;
                    for (int s = 0; s < k; s++) {
                        int from = (it * k + s) * m;
                        for (int r = 0; r < m; r++) {
                            rows[r] = order[from + r];
                            System.arraycopy(data.features(), rows[r] * data.featureSize(), real,
                                    r * data.featureSize(), data.featureSize());
                        }
                        d += discriminatorStep(real, rows) / k;
                    }
                    g += generatorStep();
                }
                Losses mean = new Losses(d / iterations, g / iterations);
                history.add(mean);
                if (listener != null) {
                    generator.setTraining(false);
                    discriminator.setTraining(false);
                    listener.epochFinished(epoch, mean);
                }
            }
        } finally {
            generator.setTraining(false);
            discriminator.setTraining(false);
            epoch = 0;
            iteration = 0;
            iterations = 0;
        }
        return history;
    }

    /**
     * {@return one discriminator step on the m data samples {@code real} (m x the discriminator's input size, channels
     * first) and m generated from fresh noise; returns its loss before the step (see the class comment)}
     *
     * @param real m data samples, one after another
     */
    public double discriminatorStep(float[] real) {
        return discriminatorStep(real, null);
    }

    private double discriminatorStep(float[] real, int[] rows) {
        int size = discriminator.inputSize();
        if (real.length != m * size) {
            throw new IllegalArgumentException("expected m x input = " + m + " x " + size + " = " + (m * size)
                    + " data values, found " + real.length);
        }
        float[] z = drawNoise(m);
        generator.setTraining(true);
        generator.reserve(m);
        for (int r = 0; r < m; r++) {
            generator.setInput(r, z, r * generator.inputSize());
        }
        generator.forward(m);
        float[] fake = Chain.outputs(generator, m);

        discriminator.setTraining(true);
        discriminator.reserve(2 * m);
        for (int r = 0; r < m; r++) {
            discriminator.setInput(r, real, r * size);
            discriminator.setInput(m + r, fake, r * size);
        }
        discriminator.forward(2 * m);
        double loss = 0;
        float[] gradient = new float[2 * m];
        for (int r = 0; r < 2 * m; r++) {
            double l = discriminator.output(r, 0);
            boolean isReal = r < m;
            loss += isReal ? softplus(-l) : softplus(l);
            gradient[r] = (float) ((sigmoid(l) - (isReal ? 1 : 0)) / m);
        }
        loss /= m;
        check("discriminator loss", loss, rows);
        discriminator.backward(2 * m, gradient);
        checkGradients(discriminator, "discriminator", rows);
        discriminatorOptimizer.step(discriminator);
        steps++;
        return loss;
    }

    /**
     * {@return one generator step on m samples from fresh noise, through the discriminator, whose parameters it leaves
     * as
     * they were; returns the generator's loss before the step}
     */
    public double generatorStep() {
        float[] z = drawNoise(m);
        generator.setTraining(true);
        discriminator.setTraining(true);
        chain.reserve(m);
        for (int r = 0; r < m; r++) {
            chain.setInput(r, z, r * generator.inputSize());
        }
        chain.forward(m);
        double loss = 0;
        float[] gradient = new float[m];
        for (int r = 0; r < m; r++) {
            double l = chain.output(r, 0);
            loss += generatorLoss.value(l);
            gradient[r] = (float) (generatorLoss.derivative(l) / m);
        }
        loss /= m;
        check("generator loss", loss, null);
        chain.backward(m, gradient);
        checkGradients(generator, "generator", null);
        generatorOptimizer.step(generator);
        steps++;
        return loss;
    }

    private void check(String quantity, double value, int[] rows) {
        if (!Double.isFinite(value)) {
            throw new NonFiniteException(quantity, value, steps + 1, epoch, iteration, iterations,
                    rows == null ? new int[0] : rows);
        }
    }

    private void checkGradients(Model model, String name, int[] rows) {
        double norm = GradientClipping.globalNorm(model);
        check(name + " gradient norm", norm, rows);
    }

    private void shuffle(int[] order) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** {@code log(1 + e^x)} without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
