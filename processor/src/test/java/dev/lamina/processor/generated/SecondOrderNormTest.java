package dev.lamina.processor.generated;

import static dev.lamina.processor.generated.Fixtures.direction;
import static dev.lamina.processor.generated.Fixtures.largest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp.Mode;
import dev.lamina.runtime.analysis.hessian.GeneratedHvp;
import dev.lamina.runtime.analysis.hessian.HessianMatrix;
import dev.lamina.runtime.analysis.hessian.HessianVectorProduct;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The R-rules of the normalisations ({@link SecondOrderNormNets}): batch norm in training mode (the batch's
 * statistics, with the second-order terms through its mean and variance) and in inference mode (the running
 * statistics, an affine map), layer norm, local response normalisation; against {@link FiniteDifferenceHvp} in both
 * modes, the full Hessian symmetric to rounding, and batch norm's two modes giving different products where layer
 * norm's give the same. Dense-only networks (and batch norm over an image's positions on the input): the
 * convolutions' R-rules are another part of issue 18.
 */
class SecondOrderNormTest {
    private static final int N = 6;

    /** A network and its batch: parameters moved off their initial values, running statistics off (0, 1). */
    private record Case(String name, Model model, float[] x, float[] t) {
    }

    private static Case prepared(String name, Model m, long seed) {
        FloatBuffer p = m.parameters().floats();
        float[] noise = Fixtures.gaussian(m.parameterCount(), seed);
        for (int i = 0; i < noise.length; i++) {
            p.put(i, p.get(i) + 0.3f * noise[i]);
        }
        float[] x = Fixtures.gaussian(N * m.inputSize(), seed + 1);
        for (int i = 0; i < x.length; i++) {
            // inputs off centre and scale, so the batch statistics matter
            x[i] = 0.5f + 1.5f * x[i];
        }
        // the classifiers have 3 classes (at every step of a sequence); the regression has 2 outputs
        int outputs = m.outputSize();
        float[] t = outputs % 3 == 0 ? Fixtures.oneHot(N * (outputs / 3), 3, seed + 2)
                : Fixtures.gaussian(N * outputs, seed + 2);
        // a few training passes move the running statistics away from mean 0, variance 1
        m.setTraining(true);
        m.reserve(N);
        for (int pass = 0; pass < 4; pass++) {
            for (int r = 0; r < N; r++) {
                m.setInput(r, x, r * m.inputSize());
            }
            m.forward(N);
        }
        m.setTraining(false);
        return new Case(name, m, x, t);
    }

    private static List<Case> cases() {
        return List.of(prepared("batch norm (tanh)", SecondOrderNormNets_BatchNormTanhNet.create(31), 40),
                prepared("batch norm on the input", SecondOrderNormNets_BatchNormOnInputNet.create(32), 50),
                prepared("layer norm (tanh)", SecondOrderNormNets_LayerNormTanhNet.create(33), 60),
                prepared("layer norm per step", SecondOrderNormNets_LayerNormStepsNet.create(34), 70),
                prepared("response norms after batch norm", SecondOrderNormNets_ResponseNormedNet.create(35), 80));
    }

    @Test
    void everyNormAgreesWithFiniteDifferencesInBothModes() {
        for (Case c : cases()) {
            for (Mode mode : Mode.values()) {
                HessianVectorProduct exact = GeneratedHvp.of(c.model(), c.x(), c.t(), N, mode);
                FiniteDifferenceHvp fd = FiniteDifferenceHvp.of(c.model(), c.x(), c.t(), N, mode);
                double worst = 0;
                for (long seed = 1; seed <= 3; seed++) {
                    double[] v = direction(exact.size(), 90 + seed);
                    double[] hv = exact.apply(v);
                    double[] approx = fd.apply(v);
                    double scale = largest(approx);
                    assertTrue(scale > 1e-6, c.name() + " " + mode + ": a product of zero tells nothing");
                    for (int k = 0; k < hv.length; k++) {
                        worst = Math.max(worst, Math.abs(hv[k] - approx[k]) / scale);
                        assertEquals(approx[k], hv[k], 2e-3 * scale,
                                c.name() + " " + mode + ": (H v)[" + k + "], direction " + seed);
                    }
                }
                System.out.printf("%s, %s: R-pass against finite differences, largest difference %.3g of |H v|%n",
                        c.name(), mode, worst);
            }
        }
    }

    @Test
    void batchNormsTrainingProductIsNotItsInferenceProduct() {
        for (Case c : cases()) {
            HessianVectorProduct training = GeneratedHvp.of(c.model(), c.x(), c.t(), N, Mode.TRAINING);
            HessianVectorProduct inference = GeneratedHvp.of(c.model(), c.x(), c.t(), N, Mode.INFERENCE);
            double[] v = direction(training.size(), 99);
            double[] a = training.apply(v);
            double[] b = inference.apply(v);
            if (c.name().startsWith("layer norm")) {
                // per-sample statistics: the mode changes nothing
                assertArrayEquals(a, b, c.name() + ": the two modes differ");
                continue;
            }
            double difference = 0;
            for (int k = 0; k < a.length; k++) {
                difference = Math.max(difference, Math.abs(a[k] - b[k]));
            }
            double relative = difference / Math.max(largest(a), largest(b));
            System.out.printf("%s: training and inference products differ by %.3g of |H v|%n", c.name(), relative);
            assertTrue(relative > 0.05, c.name() + ": training and inference products differ by only " + relative);
        }
    }

    @Test
    void theFullHessianIsSymmetricToRoundingInBothModes() {
        for (Case c : cases()) {
            for (Mode mode : Mode.values()) {
                HessianMatrix h = HessianMatrix.of(GeneratedHvp.of(c.model(), c.x(), c.t(), N, mode));
                System.out.printf("%s, %s: W = %d, asymmetry of the generated products %.3g%n", c.name(), mode,
                        h.size(), h.asymmetry());
                assertTrue(h.asymmetry() < Fixtures.FLOAT_ASYMMETRY, c.name() + " " + mode + ": asymmetry " + h.asymmetry());
            }
        }
    }
}
