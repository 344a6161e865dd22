package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.analysis.Fgsm;
import dev.lamina.runtime.analysis.GradientCheck;
import dev.lamina.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

/** {@link Fgsm}: the step, the iterated attack's bounds, the noise's size, and accuracy under attack. */
class FgsmTest {
    private static final int N = 4;

    @Test
    void everyValueMovesByEpsilonInTheSignOfTheLossGradientAndTheLossRises() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        float[] x = Fixtures.gaussian(N * m.inputSize(), 21);
        float[] targets = Fixtures.oneHot(N, 3, 22);
        float[] gradient = lossGradient(m, x, targets);
        double eps = 0.1;
        float[] adversarial = Fgsm.of(m, eps).attack(x, targets, N);
        for (int i = 0; i < x.length; i++) {
            assertTrue(gradient[i] != 0, "a smooth network has no zero input gradient, found one at " + i);
            double sign = Math.signum(gradient[i]);
            assertEquals((float) (x[i] + eps * sign), adversarial[i], "value " + i);
            // exactly eps up to the rounding of the result to float
            assertEquals(eps * sign, (double) adversarial[i] - x[i], Math.ulp(adversarial[i]), "value " + i);
        }
        double before = loss(m, x, targets);
        double after = loss(m, adversarial, targets);
        assertTrue(after > before, "loss " + before + " before the attack, " + after + " after");
    }

    @Test
    void clippingKeepsTheRangeAndAValueInsideItStillMovesByEpsilon() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        float[] x = Fixtures.uniform(N * m.inputSize(), 23);
        float[] targets = Fixtures.oneHot(N, 3, 24);
        float[] gradient = lossGradient(m, x, targets);
        float eps = 0.25f;
        float[] adversarial = Fgsm.of(m, eps).range(0, 1).attack(x, targets, N);
        int clipped = 0;
        for (int i = 0; i < x.length; i++) {
            double moved = x[i] + eps * Math.signum(gradient[i]);
            assertEquals((float) Math.min(Math.max(moved, 0), 1), adversarial[i], "value " + i);
            clipped += moved < 0 || moved > 1 ? 1 : 0;
        }
        assertTrue(clipped > 0 && clipped < x.length, clipped + " of " + x.length + " values clipped");
    }

    @Test
    void theIteratedAttackStaysInTheEpsilonBallAndRaisesTheLossMoreThanOneStep() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        float[] x = Fixtures.gaussian(N * m.inputSize(), 25);
        float[] targets = Fixtures.oneHot(N, 3, 26);
        double eps = 0.3;
        Fgsm fgsm = Fgsm.of(m, eps);
        float[] iterated = fgsm.iterate(x, targets, N, 10, eps / 4);
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs((double) iterated[i] - x[i]) <= eps + Math.ulp(iterated[i]), "value " + i);
        }
        double clean = loss(m, x, targets);
        double once = loss(m, fgsm.attack(x, targets, N), targets);
        double many = loss(m, iterated, targets);
        assertTrue(many > once && once > clean, "loss clean " + clean + ", one step " + once + ", iterated " + many);
        assertArrayEquals(iterated, fgsm.iterate(x, targets, N, 10, eps / 4), "deterministic");
    }

    @Test
    void noiseMovesEveryValueByEpsilonEitherWay() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        float[] x = Fixtures.gaussian(N * m.inputSize(), 27);
        float[] noisy = Fgsm.of(m, 0.5).noise(x, new Rng(3));
        int up = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (double) noisy[i] - x[i];
            assertEquals(0.5, Math.abs(d), Math.ulp(noisy[i]), "value " + i);
            up += d > 0 ? 1 : 0;
        }
        assertTrue(up > x.length / 3 && up < 2 * x.length / 3, up + " of " + x.length + " moved up");
    }

    @Test
    void accuracyUnderAttackIsAtMostTheCleanAccuracyAndTheModeIsRestored() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        int n = 40;
        float[] x = Fixtures.gaussian(n * m.inputSize(), 29);
        // labels the network gives itself: clean accuracy 1
        int[] labels = m.classify(x, n);
        Dataset data = Dataset.classification(x, m.inputShape(), labels, 3);
        m.setTraining(true);
        Fgsm fgsm = Fgsm.of(m, 0.5);
        double attacked = fgsm.accuracy(data, 16);
        double iterated = fgsm.iteratedAccuracy(data, 16, 5, 0.2);
        double noise = fgsm.noiseAccuracy(data, 16, 7);
        assertTrue(m.isTraining());
        assertFalse(m.state().computesInputGradient());
        assertTrue(attacked < 1 && iterated <= attacked && attacked < noise,
                "accuracy under FGSM " + attacked + ", iterated " + iterated + ", noise " + noise);
    }

    private static float[] lossGradient(Model m, float[] x, float[] targets) {
        GradientCheck.load(m, x, targets, N);
        m.forward(N);
        m.loss(N);
        m.computeInputGradient(true);
        m.backward(N);
        m.computeInputGradient(false);
        return m.inputGradient();
    }

    private static double loss(Model m, float[] x, float[] targets) {
        GradientCheck.load(m, x, targets, N);
        m.forward(N);
        return m.loss(N);
    }
}
