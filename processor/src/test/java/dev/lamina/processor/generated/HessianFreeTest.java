package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.HessianFree;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import dev.lamina.runtime.train.TrainingCheckpoint;
import java.lang.reflect.Proxy;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hessian-free optimizer on generated networks: one step to the minimum of a quadratic, a falling loss and
 * damping that follows the reduction ratio on a tanh classifier, both curvatures, training through {@link Trainer},
 * a run resumed from a {@link TrainingCheckpoint} bit for bit, and its refusals.
 */
class HessianFreeTest {
    private static final int N = 16;

    /** Loads {@code x}, {@code t} and runs forward, loss and backward, as Trainer does before a step; the loss. */
    private static double pass(Model m, float[] x, float[] t) {
        m.reserve(N);
        for (int r = 0; r < N; r++) {
            m.setInput(r, x, r * m.inputSize());
            m.setTarget(r, t, r * m.outputSize());
        }
        m.forward(N);
        double loss = m.loss(N);
        m.backward(N);
        return loss;
    }

    private static double gradientNorm(Model m) {
        FloatBuffer g = m.gradients().floats();
        double s = 0;
        for (int i = 0; i < m.parameterCount(); i++) {
            s += (double) g.get(i) * g.get(i);
        }
        return Math.sqrt(s);
    }

    @Test
    void reachesTheMinimumOfAQuadraticInOneStep() {
        Model m = HessianFreeNets_QuadraticNet.create(3);
        float[] x = Fixtures.gaussian(N * 4, 11);
        float[] t = Fixtures.gaussian(N * 3, 12);
        double before = pass(m, x, t);
        double g0 = gradientNorm(m);
        // 15 parameters: CG is exact in at most 15 iterations on the (positive definite) Hessian X^T X / n
        HessianFree hf = Optimizer.hessianFree(0, 30);
        hf.step(m);
        double after = pass(m, x, t);
        double g1 = gradientNorm(m);
        assertTrue(after < before, "loss " + before + " -> " + after);
        assertTrue(g1 < 1e-4 * g0, "gradient norm " + g0 + " -> " + g1 + " (the minimum has a zero gradient)");
        assertEquals(1.0, hf.lastReductionRatio(), 1e-3, "a quadratic is its own quadratic model");
        assertEquals(1.0, hf.lastStepSize());
        // a second step from the minimum has nothing left to gain
        hf.step(m);
        double again = pass(m, x, t);
        assertEquals(after, again, 1e-5 * Math.abs(after) + 1e-7);
    }

    @Test
    void lowersTheLossOfATanhClassifierAndAdaptsTheDamping() {
        Model m = HessianFreeNets_ClassifierNet.create(5);
        float[] x = Fixtures.gaussian(N * 4, 21);
        float[] t = Fixtures.oneHot(N, 3, 22);
        HessianFree hf = Optimizer.hessianFree(1.0, 10);
        double first = pass(m, x, t);
        double loss = first;
        for (int s = 0; s < 6; s++) {
            double lambda = hf.damping();
            hf.step(m);
            double next = pass(m, x, t);
            assertTrue(next <= loss, "step " + s + ": loss " + loss + " -> " + next);
            assertEquals(HessianFree.adaptDamping(lambda, hf.lastReductionRatio()), hf.damping(), 0.0,
                    "step " + s + ": rho " + hf.lastReductionRatio());
            assertTrue(hf.lastCgIterations() >= 1);
            loss = next;
        }
        assertTrue(loss < 0.5 * first, "loss " + first + " -> " + loss + " after 6 steps on one batch");
    }

    @Test
    void aPoorQuadraticModelRaisesTheDamping() {
        Model m = HessianFreeNets_ClassifierNet.create(5);
        float[] x = Fixtures.gaussian(N * 4, 21);
        float[] t = Fixtures.oneHot(N, 3, 22);
        // four times the CG step, no line search: far beyond where the quadratic model holds. On the exact
        // curvature: on Gauss-Newton's, CG's d gives g^T d = -d^T G d, so four times d is predicted to raise the
        // loss, and a loss that rises as predicted is no poor model
        HessianFree hf = Optimizer.hessianFree(0.1, 40).lineSearch(false).warmStart(0)
                .curvature(HessianFree.Curvature.EXACT);
        hf.setLearningRate(4);
        double before = pass(m, x, t);
        hf.step(m);
        double after = pass(m, x, t);
        assertTrue(hf.lastReductionRatio() < 0.25, "rho " + hf.lastReductionRatio() + ", loss " + before + " -> "
                + after);
        assertEquals(0.15, hf.damping(), 1e-15);
    }

    @Test
    void theDampingStaysAtItsFloor() {
        Model m = HessianFreeNets_ClassifierNet.create(5);
        float[] x = Fixtures.gaussian(N * 4, 21);
        float[] t = Fixtures.oneHot(N, 3, 22);
        HessianFree hf = Optimizer.hessianFree(1.0, 10).minimumDamping(0.5);
        boolean held = false;
        for (int s = 0; s < 6; s++) {
            pass(m, x, t);
            double lambda = hf.damping();
            hf.step(m);
            double rule = HessianFree.adaptDamping(lambda, hf.lastReductionRatio());
            assertEquals(Math.max(0.5, rule), hf.damping(), 0.0, "step " + s);
            held |= rule < 0.5;
        }
        assertTrue(held, "the rule went below the floor at least once, so the floor was tested");
        assertThrows(IllegalArgumentException.class, () -> Optimizer.hessianFree().minimumDamping(-1));
    }

    @Test
    void theDampingRule() {
        assertEquals(1.5, HessianFree.adaptDamping(1, 0.1));
        assertEquals(1.5, HessianFree.adaptDamping(1, -2));
        assertEquals(1.5, HessianFree.adaptDamping(1, Double.NaN));
        assertEquals(1.0, HessianFree.adaptDamping(1, 0.5));
        assertEquals(2.0 / 3.0, HessianFree.adaptDamping(1, 0.9));
    }

    @Test
    void trainsThroughTheTrainer() {
        Model m = HessianFreeNets_ClassifierNet.create(7);
        Dataset data = Fixtures.gaussianBlobs(128, 3, 1.5, 1.0);
        History h = Trainer.of(m).optimizer(Optimizer.hessianFree()).batchSize(64).epochs(4).seed(1).fit(data);
        List<EpochRecord> epochs = h.epochs();
        assertEquals(4, epochs.size());
        assertTrue(epochs.get(3).trainLoss() < 0.8 * epochs.get(0).trainLoss(),
                "train loss " + epochs.get(0).trainLoss() + " -> " + epochs.get(3).trainLoss());
    }

    @Test
    void theCurvatureIsAChoiceGaussNewtonByDefault() {
        assertEquals(HessianFree.Curvature.GAUSS_NEWTON, Optimizer.hessianFree().curvature());
        float[] x = Fixtures.gaussian(N * 4, 21);
        float[] t = Fixtures.oneHot(N, 3, 22);
        double[] after = new double[2];
        for (HessianFree.Curvature c : HessianFree.Curvature.values()) {
            Model m = HessianFreeNets_ClassifierNet.create(5);
            HessianFree hf = Optimizer.hessianFree(0.01, 20).warmStart(0).curvature(c);
            double before = pass(m, x, t);
            hf.step(m);
            after[c.ordinal()] = pass(m, x, t);
            assertTrue(after[c.ordinal()] < before, c + ": loss " + before + " -> " + after[c.ordinal()]);
            if (c == HessianFree.Curvature.GAUSS_NEWTON) {
                assertTrue(!hf.lastNegativeCurvature(), "the Gauss-Newton matrix has no negative curvature");
            }
        }
        assertTrue(after[0] != after[1], "the two curvatures take different steps: " + after[0] + ", " + after[1]);
        assertThrows(IllegalArgumentException.class, () -> Optimizer.hessianFree().curvature(null));
    }

    /** Trains the classifier on blobs for {@code epochs}, checkpointing into {@code folder}, resuming if asked. */
    private static Model fit(HessianFree hf, int epochs, Path folder, boolean resume, long seed) {
        Model m = HessianFreeNets_ClassifierNet.create(seed);
        Trainer trainer = Trainer.of(m).optimizer(hf).batchSize(32).epochs(epochs).seed(3)
                .listener(TrainingCheckpoint.in(folder));
        if (resume) {
            trainer.resumeFrom(folder);
        }
        trainer.fit(Fixtures.gaussianBlobs(128, 3, 1.5, 1.0));
        return m;
    }

    @Test
    void aResumedRunEndsBitForBitAsAnUninterruptedOne(@TempDir Path dir) {
        HessianFree whole = Optimizer.hessianFree(1.0, 8);
        Model uninterrupted = fit(whole, 4, dir.resolve("whole"), false, 7);
        Path folder = dir.resolve("parts");
        HessianFree first = Optimizer.hessianFree(1.0, 8);
        fit(first, 2, folder, false, 7);
        assertTrue(first.damping() != 1.0, "the damping moved, so the checkpoint must carry it: " + first.damping());
        // a new network (other parameters) and a new optimizer: the rest comes from the checkpoint
        HessianFree resumed = Optimizer.hessianFree(1.0, 8);
        Model m = fit(resumed, 4, folder, true, 99);
        float[] expected = uninterrupted.parameterArray();
        float[] actual = m.parameterArray();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    "parameter " + i + ": " + expected[i] + " against " + actual[i]);
        }
        assertEquals(whole.damping(), resumed.damping(), 0.0);
        assertEquals(whole.lastCgIterations(), resumed.lastCgIterations());
        assertEquals(whole.steps(), resumed.steps());
        // a checkpoint of the other curvature is refused, naming both
        RuntimeException other = assertThrows(RuntimeException.class, () -> fit(
                Optimizer.hessianFree(1.0, 8).curvature(HessianFree.Curvature.EXACT), 4, folder, true, 7));
        String message = other.getMessage() + " " + (other.getCause() == null ? "" : other.getCause().getMessage());
        assertTrue(message.contains("expected the state of a Hessian-free optimizer on the EXACT curvature, found"
                + " one on GAUSS_NEWTON"), message);
    }

    @Test
    void refusesANetworkWithoutTheGeneratedProduct() {
        Model m = HessianFreeNets_FirstOrderNet.create(5);
        pass(m, Fixtures.gaussian(N * 4, 1), Fixtures.oneHot(N, 3, 2));
        float[] before = m.parameters().toArray();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Optimizer.hessianFree().step(m));
        assertTrue(e.getMessage().startsWith("Hessian-free optimisation needs the curvature products"), e.getMessage());
        assertTrue(e.getMessage().contains("@Network(secondOrder = true)"), e.getMessage());
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(m.parameters().toArray()));
    }

    @Test
    void refusesADeviceModelAndAStepWithoutABatch() {
        Object device = Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Model.class, Optimizer.DeviceResident.class}, (proxy, method, args) -> {
                    if (method.getName().equals("name")) {
                        return "gpu-net";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Optimizer.hessianFree().step((Model) device));
        assertEquals("Hessian-free optimisation runs on the CPU: gpu-net lives on another device, whose path has no"
                + " generated Hessian-vector product; train it on the CPU or choose another optimizer", e.getMessage());
        Model fresh = HessianFreeNets_ClassifierNet.create(5);
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> Optimizer.hessianFree().step(fresh));
        assertTrue(none.getMessage().contains("ran no forward pass"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Optimizer.hessianFree(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.hessianFree(1, 0));
    }
}
