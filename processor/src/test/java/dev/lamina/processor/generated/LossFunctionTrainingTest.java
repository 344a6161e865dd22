package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.LossFunction;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.OutputBatch;
import dev.lamina.runtime.train.Trainer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Issue 17: {@code Trainer} with losses written in Java ({@link LossFunction}) and L1 penalties on activations. */
class LossFunctionTrainingTest {

    // ------------------------------------------------------------------------------------------ Java loss = fused

    /**
     * The Java mean squared error trains as the fused one: the same parameters after three epochs and the same
     * recorded losses, on a vector output and on an image output (whose gradient is laid out channels last).
     * Tolerance: the two paths differ only in how the output gradient {@code (y - t) / n} is rounded to float (the
     * Java loss in double, then rounded once), 6e-8 relative per step, carried through some thirty steps of
     * momentum SGD; {@code 1e-5} of the largest parameter leaves a wide margin and is far below one step's change.
     * (Measured: no difference at all, the two roundings agree on these networks; the recorded losses differ by
     * about 5e-9 relative, the two sums being rounded differently.)
     */
    @Test
    void theJavaMeanSquaredErrorTrainsAsTheFusedOne() {
        assertSameTraining(LossNets_RegressionNet::create, 4);
        assertSameTraining(LossNets_ImageRegressionNet::create, 5);
    }

    private static void assertSameTraining(IntFunction<Model> create, int seed) {
        Model fused = create.apply(seed);
        Model java = create.apply(seed);
        Dataset train = regression(fused, 96, 1);
        Dataset validation = regression(fused, 32, 2);
        History hf = trainer(fused).fit(train, validation);
        History hj = trainer(java).loss(LossFunction.meanSquaredError()).fit(train, validation);
        float[] a = fused.parameterArray();
        float[] b = java.parameterArray();
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        System.out.println("java-vs-fused-mse " + fused.name() + " worst parameter difference " + worst + " (scale "
                + scale + "), last training loss " + hf.last().trainLoss() + " vs " + hj.last().trainLoss());
        assertTrue(worst <= 1e-5 * scale, fused.name() + ": parameters differ by " + worst);
        float[] initial = create.apply(seed).parameterArray();
        assertTrue(maxDifference(initial, a) > 1000 * worst, fused.name() + ": training moved the parameters by less"
                + " than a thousand times the paths' difference, so the comparison shows little");
        for (int e = 0; e < hf.epochs().size(); e++) {
            EpochRecord f = hf.epochs().get(e);
            EpochRecord j = hj.epochs().get(e);
            assertEquals(f.trainLoss(), j.trainLoss(), 1e-5 * f.trainLoss(), "epoch " + (e + 1) + " training loss");
            assertEquals(f.validationLoss(), j.validationLoss(), 1e-5 * f.validationLoss(),
                    "epoch " + (e + 1) + " validation loss");
            assertTrue(Double.isNaN(j.trainAccuracy()) && Double.isNaN(j.validationAccuracy()),
                    "a regression loss records no accuracy");
        }
    }

    /**
     * A loss a user writes (here a lambda in another package, using only the public API) plugs in as a built-in
     * does: a hand-written mean squared error trains to bit-for-bit the built-in Java one's parameters.
     */
    @Test
    void aLossWrittenByTheUserPlugsIn() {
        LossFunction own = (batch, gradient) -> {
            batch.checkGradient(gradient);
            float[] y = batch.outputs();
            float[] t = batch.targets();
            double sum = 0;
            for (int i = 0; i < y.length; i++) {
                double d = (double) y[i] - t[i];
                sum += d * d;
                if (gradient != null) {
                    gradient[i] = (float) (d / batch.rows());
                }
            }
            return 0.5 * sum / batch.rows();
        };
        Model builtIn = LossNets_RegressionNet.create(9);
        Model user = LossNets_RegressionNet.create(9);
        Dataset train = regression(builtIn, 64, 10);
        trainer(builtIn).loss(LossFunction.meanSquaredError()).fit(train);
        History h = trainer(user).loss(own).fit(train);
        assertArrayEquals(builtIn.parameterArray(), user.parameterArray());
        assertTrue(h.last().trainLoss() < h.epochs().get(0).trainLoss(), "the user's loss did not fall: " + h.toCsv());
    }

    private static Trainer trainer(Model m) {
        return Trainer.of(m).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(8).epochs(3).seed(3);
    }

    /** Targets: a fixed smooth function of the inputs, in (-1, 1) as the tanh image output can reach. */
    private static Dataset regression(Model m, int n, long seed) {
        int in = m.inputSize();
        int out = m.outputSize();
        float[] x = Fixtures.gaussian(n * in, seed);
        float[] t = new float[n * out];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < out; k++) {
                double s = 0;
                for (int j = 0; j < in; j++) {
                    s += x[r * in + j] * Math.sin(1 + j + 3 * k);
                }
                t[r * out + k] = (float) Math.tanh(0.5 * s);
            }
        }
        return new Dataset(x, m.inputShape(), t, out);
    }

    // ------------------------------------------------------------------------------------------ hinge, segmentation

    /**
     * The multi-class hinge loss trains a classifier of three noisy classes to at least 95% validation accuracy
     * in 10 epochs (it reaches 100% here); the recorded validation loss is the hinge loss of the predictions.
     */
    @Test
    void theHingeLossTrainsAClassifier() {
        Model m = LossNets_ClassifierNet.create(1);
        Dataset train = blobs(240, 1);
        Dataset validation = blobs(90, 2);
        LossFunction hinge = LossFunction.multiMargin();
        History h = Trainer.of(m).loss(hinge).optimizer(Optimizer.momentum(0.02, 0.9)).batchSize(16).epochs(10)
                .seed(1).fit(train, validation);
        EpochRecord first = h.epochs().get(0);
        EpochRecord last = h.last();
        System.out.println("hinge: training loss " + first.trainLoss() + " -> " + last.trainLoss()
                + ", validation accuracy " + first.validationAccuracy() + " -> " + last.validationAccuracy());
        assertTrue(last.validationAccuracy() >= 0.95, "validation accuracy " + last.validationAccuracy());
        assertTrue(last.trainAccuracy() >= 0.9, "training accuracy " + last.trainAccuracy());
        assertTrue(last.trainLoss() < first.trainLoss() / 2, "the hinge loss did not fall: " + h.toCsv());
        float[] y = m.predict(validation.features(), validation.size());
        double direct = hinge.loss(new OutputBatch(y, validation.targets(), validation.size(), m.outputShape()),
                null);
        assertEquals(direct, last.validationLoss(), 1e-9 * direct, "the validation loss is the Java loss");
    }

    /**
     * Softmax cross-entropy at every position trains a per-pixel classifier (a pixel is class 1 when it and its
     * right neighbour sum to more than 0) to at least 90% of the validation set's positions.
     */
    @Test
    void crossEntropyOverPositionsTrainsASegmenter() {
        Model m = LossNets_SegmenterNet.create(2);
        Dataset train = segmentation(160, 3);
        Dataset validation = segmentation(40, 4);
        History h = Trainer.of(m).loss(LossFunction.crossEntropyOverPositions()).optimizer(Optimizer.adam(0.02))
                .batchSize(16).epochs(8).seed(2).fit(train, validation);
        System.out.println("segmentation: training loss " + h.epochs().get(0).trainLoss() + " -> "
                + h.last().trainLoss() + ", validation accuracy (share of positions) " + h.last().validationAccuracy());
        assertTrue(h.last().validationAccuracy() >= 0.9, "validation accuracy " + h.last().validationAccuracy());
    }

    /** Targets one-hot per position, channels last as the scores are stored: per position, 2 values. */
    private static Dataset segmentation(int n, long seed) {
        float[] x = Fixtures.gaussian(n * 36, seed);
        float[] t = new float[n * 72];
        for (int r = 0; r < n; r++) {
            for (int y = 0; y < 6; y++) {
                for (int w = 0; w < 6; w++) {
                    int p = y * 6 + w;
                    double s = x[r * 36 + p] + (w < 5 ? x[r * 36 + p + 1] : 0);
                    t[r * 72 + p * 2 + (s > 0 ? 1 : 0)] = 1;
                }
            }
        }
        return new Dataset(x, new int[] {1, 6, 6}, t, 72);
    }

    /** Three noisy classes in four features. */
    private static Dataset blobs(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) ((j % 3 == y[i] ? 1.5 : 0) + rng.nextDouble() - 0.5);
            }
        }
        return Dataset.classification(x, new int[] {4}, y, 3);
    }

    // ------------------------------------------------------------------------------------------ activity L1

    /**
     * The penalty's gradient, checked against its analytic derivative written out in double for a network with one
     * hidden tanh layer and the mean squared error: {@code L = 1/(2n) sum |y - t|^2 + lambda/n sum |h|},
     * {@code h = tanh(W1 x + b1)}, {@code y = W2 h + b2}. One SGD step of rate 1 over the whole set reveals the
     * gradient ({@code before - after}); with the fused loss and with the Java one. Tolerance {@code 1e-4} of the
     * largest derivative: the float network (tanh within 4e-7 of the exact one) and the subtraction of parameters of
     * about 1 in float (6e-8) are far below it (measured 1e-7), and leaving the penalty out changes the gradient by
     * 3e-2 of it.
     */
    @Test
    void activityL1HasTheAnalyticGradientWithTheFusedAndTheJavaLoss() {
        double lambda = 0.05;
        Model probe = LossNets_RegressionNet.create(6);
        Dataset data = regression(probe, 12, 7);
        double[][] expected = penalisedGradient(probe, data, lambda);
        double[][] unpenalised = penalisedGradient(probe, data, 0);
        for (boolean java : new boolean[] {false, true}) {
            Model m = LossNets_RegressionNet.create(6);
            float[][] before = parameters(m);
            Trainer t = Trainer.of(m).optimizer(Optimizer.sgd(1)).batchSize(data.size()).epochs(1).shuffle(false)
                    .activityL1("hidden", lambda);
            if (java) {
                t.loss(LossFunction.meanSquaredError());
            }
            History h = t.fit(data);
            float[][] after = parameters(m);
            double scale = 0;
            double worst = 0;
            double penaltyEffect = 0;
            for (int p = 0; p < before.length; p++) {
                for (int i = 0; i < before[p].length; i++) {
                    double g = (double) before[p][i] - after[p][i];
                    scale = Math.max(scale, Math.abs(expected[p][i]));
                    worst = Math.max(worst, Math.abs(g - expected[p][i]));
                    penaltyEffect = Math.max(penaltyEffect, Math.abs(expected[p][i] - unpenalised[p][i]));
                }
            }
            System.out.println("activityL1 gradient (" + (java ? "Java" : "fused") + " loss): worst " + worst
                    + " of scale " + scale + "; the penalty moves the gradient by " + penaltyEffect);
            assertTrue(penaltyEffect > 1e-2 * scale, "the penalty hardly changes the gradient: the check shows little");
            assertTrue(worst <= 1e-4 * scale, (java ? "Java" : "fused") + " loss: gradient off by " + worst);
            double loss = penalisedLoss(probe, data, lambda);
            assertEquals(loss, h.last().trainLoss(), 1e-5 * loss, "the recorded loss includes the penalty");
        }
    }

    /** The dense layers' parameters: W1, b1, W2, b2. */
    private static float[][] parameters(Model m) {
        Layer hidden = layer(m, "hidden");
        Layer out = layer(m, "out");
        return new float[][] {hidden.weights().toArray(), hidden.bias().toArray(), out.weights().toArray(),
            out.bias().toArray()};
    }

    /** The penalised loss of {@link LossNets.Regression} on {@code data}, in double. */
    private static double penalisedLoss(Model m, Dataset data, double lambda) {
        return pass(m, data, lambda, null);
    }

    /** d(penalised loss)/d(W1, b1, W2, b2), in double, by hand. */
    private static double[][] penalisedGradient(Model m, Dataset data, double lambda) {
        float[][] p = parameters(m);
        double[][] g = {new double[p[0].length], new double[p[1].length], new double[p[2].length],
            new double[p[3].length]};
        pass(m, data, lambda, g);
        return g;
    }

    /** The forward pass in double, and with {@code g} not null the backward pass into it; returns the loss. */
    private static double pass(Model m, Dataset data, double lambda, double[][] g) {
        float[][] p = parameters(m);
        int in = 4;
        int units = 8;
        int outs = 2;
        int n = data.size();
        double loss = 0;
        for (int r = 0; r < n; r++) {
            double[] h = new double[units];
            for (int u = 0; u < units; u++) {
                double s = p[1][u];
                for (int j = 0; j < in; j++) {
                    s += p[0][u * in + j] * data.features()[r * in + j];
                }
                h[u] = Math.tanh(s);
                loss += lambda * Math.abs(h[u]) / n;
            }
            double[] dh = new double[units];
            for (int k = 0; k < outs; k++) {
                double y = p[3][k];
                for (int u = 0; u < units; u++) {
                    y += p[2][k * units + u] * h[u];
                }
                double d = y - data.targets()[r * outs + k];
                loss += 0.5 * d * d / n;
                if (g != null) {
                    double dy = d / n;
                    g[3][k] += dy;
                    for (int u = 0; u < units; u++) {
                        g[2][k * units + u] += dy * h[u];
                        dh[u] += dy * p[2][k * units + u];
                    }
                }
            }
            if (g != null) {
                for (int u = 0; u < units; u++) {
                    double du = (dh[u] + lambda * Math.signum(h[u]) / n) * (1 - h[u] * h[u]);
                    g[1][u] += du;
                    for (int j = 0; j < in; j++) {
                        g[0][u * in + j] += du * data.features()[r * in + j];
                    }
                }
            }
        }
        return loss;
    }

    /**
     * After the same training, the penalised hidden layer's mean |h| over the training set is well below the
     * unpenalised one's (measured 3.05 against 8.55; asserted below half), and the classifier still learns.
     */
    @Test
    void activityL1ShrinksTheLayersActivations() {
        Dataset train = blobs(240, 5);
        double plain = meanAbsoluteActivation(train, 0);
        double penalised = meanAbsoluteActivation(train, 0.05);
        System.out.println("activityL1: mean |hidden| " + plain + " without, " + penalised + " with lambda 0.05");
        assertTrue(penalised < 0.5 * plain, "mean |h| " + penalised + " with the penalty, " + plain + " without");
    }

    private static double meanAbsoluteActivation(Dataset train, double lambda) {
        Model m = LossNets_ClassifierNet.create(8);
        Trainer t = Trainer.of(m).optimizer(Optimizer.momentum(0.02, 0.9)).batchSize(16).epochs(8).seed(8);
        if (lambda > 0) {
            t.activityL1(layer(m, "hidden"), lambda);
        }
        History h = t.fit(train);
        assertTrue(h.last().trainAccuracy() >= 0.9, "lambda " + lambda + ": training accuracy "
                + h.last().trainAccuracy());
        m.predict(train.features(), train.size());
        float[] hidden = layer(m, "hidden").output().copy();
        double sum = 0;
        for (float v : hidden) {
            sum += Math.abs(v);
        }
        return sum / train.size();
    }

    /** Layers whose output cannot be read or takes no gradient are refused before any step changes a parameter. */
    @Test
    void activityL1RefusesLayersWithoutAnOutputOrAGradientSlot() {
        Model pooled = LayerOutputNets_PooledNet.create(5);
        Dataset images = new Dataset(Fixtures.gaussian(8 * 16, 1), new int[] {1, 4, 4}, Fixtures.oneHot(8, 2, 2), 2);
        float[] before = pooled.parameterArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(pooled).batchSize(4).epochs(1).activityL1("conv", 0.1).fit(images));
        assertTrue(e.getMessage().contains("activityL1 on layer 'conv'") && e.getMessage().contains("no output"),
                e.getMessage());
        assertArrayEquals(before, pooled.parameterArray(), "a refused fit changed parameters");

        Model dropped = LayerOutputNets_DroppedNet.create(5);
        Dataset vectors = new Dataset(Fixtures.gaussian(8 * 3, 3), new int[] {3}, Fixtures.oneHot(8, 2, 4), 2);
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(dropped).batchSize(4).epochs(1).activityL1("hidden", 0.1).fit(vectors));
        assertTrue(e.getMessage().contains("activityL1 on layer 'hidden'") && e.getMessage().contains("dropout"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Trainer.of(dropped).activityL1("nope", 0.1));
        assertTrue(e.getMessage().contains("no layer named 'nope'") && e.getMessage().contains("hidden"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.of(dropped).activityL1("hidden", -1));
        assertTrue(e.getMessage().contains(">= 0, found -1"), e.getMessage());
        Layer foreign = layer(pooled, "conv");
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.of(dropped).activityL1(foreign, 0.1));
        assertTrue(e.getMessage().contains("not a layer of"), e.getMessage());
    }

    /** Early stopping on accuracy needs a loss that counts one: a regression loss written in Java is refused. */
    @Test
    void earlyStoppingOnAccuracyNeedsAJavaLossThatClassifies() {
        Model m = LossNets_ClassifierNet.create(1);
        Dataset data = blobs(48, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.of(m)
                .loss(LossFunction.smoothL1(1)).earlyStopping(
                        dev.lamina.runtime.train.EarlyStopping.onValidationAccuracy()).fit(data, data));
        assertTrue(e.getMessage().contains("smoothL1") && e.getMessage().contains("onValidationLoss"), e.getMessage());
    }

    private static Layer layer(Model m, String name) {
        return m.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private static double maxDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
