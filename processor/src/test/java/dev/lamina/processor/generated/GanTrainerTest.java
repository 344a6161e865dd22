package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.GanNets_ToyDiscriminatorNet;
import dev.lamina.processor.nets.GanNets_ToyGeneratorNet;
import dev.lamina.processor.nets.GanNets_TwoScoresNet;
import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Workers;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.GanTrainer;
import dev.lamina.runtime.train.NonFiniteException;
import dev.lamina.runtime.train.Optimizer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GanTrainer}: the 1-D toy (noise to N(4, 0.5)), the discriminator's parameters bit for bit untouched by a
 * generator step (and the generator's by a discriminator step), seeded runs, both generator losses, bad networks.
 */
class GanTrainerTest {
    private static final double MEAN = 4;
    private static final double STD = 0.5;
    /** One thread per model: these networks are so small that handing rows to other threads costs more than them. */
    private static final Workers ONE = Workers.create(1);

    @AfterAll
    static void close() {
        ONE.close();
    }

    /**
     * Settings: generator 2 -> 16 tanh -> 16 tanh -> 1, discriminator 1 -> 32 leaky ReLU -> 32 leaky ReLU -> 1
     * logit ({@link dev.lamina.processor.nets.GanNets}); standard normal noise in 2 dimensions; k = 5
     * discriminator steps per generator step, m = 128; Adam (learning rate 1e-3, rho1 0.5) for both networks,
     * halved after every epoch from the 5th on (the game settles instead of circling); 10 epochs of 200 iterations
     * over 128,000 data samples (2,000 generator steps, 10,000 discriminator steps); seeds fixed. The
     * discriminator's first layer has its kinks spread over [0, 8], where the samples lie: with the zero biases it
     * starts with, every kink sits at 0 and the discriminator is linear over the data, so that it sees the mean but
     * hardly the spread (in trials without it the mean came right, but with k = 1 the std ended between 0.1 and
     * 0.36, and with k = 5 it came late and unsteadily). With the spread, eight seeds gave mean 4.00 +- 0.02 and std
     * 0.47 to 0.51, measured on 4,000 generated samples. A few seconds on 2 cores.
     */
    @Test
    void learnsTheOneDimensionalToy() throws Exception {
        Model generator = GanNets_ToyGeneratorNet.create(1);
        Model discriminator = GanNets_ToyDiscriminatorNet.create(101);
        spreadKinks(discriminator.layers().get(0), 0, 8, 56);
        Optimizer g = Optimizer.adam(1e-3, 0.5, 0.999, 1e-8);
        Optimizer d = Optimizer.adam(1e-3, 0.5, 0.999, 1e-8);
        GanTrainer gan = toyTrainer(generator, discriminator, 1).generatorOptimizer(g).discriminatorOptimizer(d)
                .batchSize(128).discriminatorSteps(5);

        List<GanTrainer.Losses> losses = gan.fit(toyData(128 * 5 * 200, 8), 10, (epoch, mean) -> {
            if (epoch >= 5) {
                g.setLearningRate(g.learningRate() / 2);
                d.setLearningRate(d.learningRate() / 2);
            }
        });

        double[] moments = generatedMoments(generator, gan, 10_000);
        System.out.printf(java.util.Locale.ROOT, "GAN toy: generated mean %.4f, std %.4f; last epoch's losses: %s%n",
                moments[0], moments[1], losses.get(losses.size() - 1));
        assertEquals(MEAN, moments[0], 0.2, "mean of the generated samples");
        assertEquals(STD, moments[1], 0.15, "standard deviation of the generated samples");
        // at the game's equilibrium D = 1/2 everywhere: discriminator loss 2 ln 2, generator loss ln 2
        GanTrainer.Losses last = losses.get(losses.size() - 1);
        assertEquals(2 * Math.log(2), last.discriminator(), 0.1, "discriminator loss near 2 ln 2");
        assertEquals(Math.log(2), last.generator(), 0.1, "generator loss near ln 2");
        assertFalse(generator.isTraining() || discriminator.isTraining(), "fit leaves both in inference mode");
    }

    @Test
    void aGeneratorStepLeavesTheDiscriminatorsParametersBitForBit() {
        Model generator = GanNets_ToyGeneratorNet.create(1);
        Model discriminator = GanNets_ToyDiscriminatorNet.create(2);
        GanTrainer gan = toyTrainer(generator, discriminator, 3);
        Dataset data = toyData(64, 4);
        for (int i = 0; i < 3; i++) { // momentum: the discriminator's optimizer holds velocities by now
            gan.discriminatorStep(data.features());
            gan.generatorStep();
        }
        float[] discriminatorBefore = discriminator.parameterArray();
        float[] generatorBefore = generator.parameterArray();
        gan.generatorStep();
        assertArrayEquals(discriminatorBefore, discriminator.parameterArray(), "discriminator after a generator step");
        assertFalse(Arrays.equals(generatorBefore, generator.parameterArray()), "the generator stepped");

        discriminatorBefore = discriminator.parameterArray();
        generatorBefore = generator.parameterArray();
        gan.discriminatorStep(data.features());
        assertArrayEquals(generatorBefore, generator.parameterArray(), "generator after a discriminator step");
        assertFalse(Arrays.equals(discriminatorBefore, discriminator.parameterArray()), "the discriminator stepped");
    }

    @Test
    void theSameSeedTrainsBitwiseAlike() throws Exception {
        float[][] runs = new float[3][];
        long[] seeds = {5, 5, 6};
        for (int run = 0; run < 3; run++) {
            Model generator = GanNets_ToyGeneratorNet.create(1);
            Model discriminator = GanNets_ToyDiscriminatorNet.create(2);
            toyTrainer(generator, discriminator, seeds[run]).batchSize(16).fit(toyData(320, 9), 1, null);
            runs[run] = generator.parameterArray();
        }
        assertArrayEquals(runs[0], runs[1], "same seed");
        assertFalse(Arrays.equals(runs[0], runs[2]), "another seed draws other noise and another order");
    }

    /**
     * From the same networks and noise, the generator steps report {@code mean -log D(G(z))} (non-saturating) and
     * {@code mean log(1 - D(G(z)))} (saturating), computed here from the logits the same noise gives.
     */
    @Test
    void reportsEachGeneratorLossOnTheSameSamples() {
        int m = 8;
        Model g0 = GanNets_ToyGeneratorNet.create(1);
        Model d0 = GanNets_ToyDiscriminatorNet.create(2);
        float[] z = toyTrainer(g0, d0, 11).batchSize(m).drawNoise(m); // the noise a step with seed 11 draws first
        float[] logits = d0.predict(g0.predict(z, m), m);
        double nonSaturating = 0;
        double saturating = 0;
        for (float l : logits) {
            double p = 1 / (1 + Math.exp(-l));
            nonSaturating -= Math.log(p) / m;
            saturating += Math.log(1 - p) / m;
        }
        double ns = toyTrainer(GanNets_ToyGeneratorNet.create(1), GanNets_ToyDiscriminatorNet.create(2), 11)
                .batchSize(m).generatorStep();
        double s = toyTrainer(GanNets_ToyGeneratorNet.create(1), GanNets_ToyDiscriminatorNet.create(2), 11)
                .batchSize(m).generatorLoss(GanTrainer.GeneratorLoss.SATURATING).generatorStep();
        assertEquals(nonSaturating, ns, 1e-5, "non-saturating loss -log D(G(z))");
        assertEquals(saturating, s, 1e-5, "saturating loss log(1 - D(G(z)))");
    }

    @Test
    void aNonFiniteLossStopsTrainingBeforeItsStep() {
        Model generator = GanNets_ToyGeneratorNet.create(1);
        Model discriminator = GanNets_ToyDiscriminatorNet.create(2);
        GanTrainer gan = toyTrainer(generator, discriminator, 3).batchSize(4);
        float[] before = discriminator.parameterArray();
        float[] huge = {3e38f, -3e38f, 3e38f, -3e38f}; // finite data whose products overflow in the first layer
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> gan.discriminatorStep(huge));
        assertTrue(e.quantity().startsWith("discriminator"), e.getMessage());
        assertArrayEquals(before, discriminator.parameterArray(), "the step was not applied");
    }

    @Test
    void refusesNetworksThatDoNotFormAGan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GanTrainer.of(GanNets_ToyGeneratorNet.create(1), GanNets_TwoScoresNet.create(1)));
        assertTrue(e.getMessage().contains("one output") && e.getMessage().contains("found"), e.getMessage());
        // a generator of 2 values for a discriminator of 1
        assertThrows(IllegalArgumentException.class,
                () -> GanTrainer.of(GanNets_TwoScoresNet.create(1), GanNets_ToyDiscriminatorNet.create(1)));
        GanTrainer gan = GanTrainer.of(GanNets_ToyGeneratorNet.create(1), GanNets_ToyDiscriminatorNet.create(1));
        Optimizer shared = Optimizer.adam(1e-3);
        gan.generatorOptimizer(shared);
        e = assertThrows(IllegalArgumentException.class, () -> gan.discriminatorOptimizer(shared));
        assertTrue(e.getMessage().contains("an optimizer for each network"), e.getMessage());
        Dataset pairs = new Dataset(new float[128], new int[] {2}, new float[0], 0);
        e = assertThrows(IllegalArgumentException.class, () -> gan.fit(pairs, 1, null));
        assertTrue(e.getMessage().contains("expected samples of 1 values"), e.getMessage());
    }

    /** {@code n} samples of N(4, 0.5), seeded, as a data set without targets. */
    private static Dataset toyData(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (MEAN + STD * rng.nextGaussian());
        }
        return new Dataset(x, new int[] {1}, new float[0], 0);
    }

    private static GanTrainer toyTrainer(Model generator, Model discriminator, long seed) {
        generator.useWorkers(ONE);
        discriminator.useWorkers(ONE);
        return GanTrainer.of(generator, discriminator).noise(GanTrainer.Noise.NORMAL).seed(seed);
    }

    /** Sets each unit's bias so that its kink (where {@code w x + b = 0}) lies uniformly in [from, to). */
    private static void spreadKinks(Layer layer, double from, double to, long seed) {
        Rng rng = new Rng(seed);
        for (int j = 0; j < layer.bias().length(); j++) {
            layer.bias().set(j, (float) (-layer.weights().get(j) * (from + (to - from) * rng.nextDouble())));
        }
    }

    /** Mean and standard deviation of {@code n} generated samples. */
    private static double[] generatedMoments(Model generator, GanTrainer gan, int n) {
        float[] y = generator.predict(gan.drawNoise(n), n);
        double sum = 0;
        for (float v : y) {
            sum += v;
        }
        double mean = sum / n;
        double squares = 0;
        for (float v : y) {
            squares += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(squares / (n - 1))};
    }
}
