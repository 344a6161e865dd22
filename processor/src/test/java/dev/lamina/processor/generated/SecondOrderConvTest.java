package dev.lamina.processor.generated;

import static dev.lamina.processor.generated.Fixtures.direction;
import static dev.lamina.processor.generated.Fixtures.largest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Workers;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp.Mode;
import dev.lamina.runtime.analysis.hessian.GeneratedHvp;
import dev.lamina.runtime.analysis.hessian.HessianMatrix;
import dev.lamina.runtime.analysis.hessian.HessianVectorProduct;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The R-rules of convolutions, pooling and upsampling ({@link SecondOrderConvNets}): the generated {@code H v}
 * against central differences of the float gradient in training and inference mode for several directions; the
 * full Hessian from the generated products, symmetric to rounding; and a convolution over the whole image against
 * the Dense layer it is, whose R-rules {@code SecondOrderTest} checks against a double reference.
 */
class SecondOrderConvTest {
    private static final int N = 5;
    /**
     * The finite differences' step: small enough that no max pool's winner changes between the two gradients (the
     * default, about 5e-3, moves LeNet's winners), large enough that float rounding stays near 1e-4 of |H v|.
     */
    private static final double STEP = 3e-4;

    private static List<Model> models() {
        return List.of(SecondOrderConvNets_LeNetNet.create(31), SecondOrderConvNets_GroupedLeNetNet.create(36),
                SecondOrderConvNets_ShapesNet.create(32), SecondOrderConvNets_DecoderNet.create(33),
                SecondOrderConvNets_UnpoolNet.create(34), SecondOrderConvNets_SequenceNet.create(35));
    }

    private static float[] inputs(Model m, long seed) {
        return Fixtures.gaussian(N * m.inputSize(), seed);
    }

    @Test
    void everyNetworkAgreesWithFiniteDifferencesOfTheGradient() {
        for (Model m : models()) {
            // random inputs keep the max pools' windows away from ties, but not every draw: seed 41 leaves two of
            // GroupedLeNet's first pool's inputs 5e-7 apart, seed 61 two of Shapes' closer than the step moves them
            float[] x = inputs(m, m.name().equals("GroupedLeNet") ? 61 : 41);
            float[] t = Fixtures.oneHot(N, 3, 42);
            float[] before = m.parameterArray();
            HessianVectorProduct training = GeneratedHvp.of(m, x, t, N, Mode.TRAINING);
            double worst = 0;
            for (Mode mode : Mode.values()) {
                HessianVectorProduct exact = GeneratedHvp.of(m, x, t, N, mode);
                FiniteDifferenceHvp fd = FiniteDifferenceHvp.of(m, x, t, N, mode).step(STEP);
                for (long seed = 1; seed <= 3; seed++) {
                    double[] v = direction(exact.size(), 50 + seed);
                    double[] hv = exact.apply(v);
                    double[] approx = fd.apply(v);
                    double scale = largest(approx);
                    assertTrue(scale > 0, m.name() + ": a zero product checks nothing");
                    assertArrayEquals(hv, training.apply(v), m.name() + ": training and inference mode differ");
                    for (int k = 0; k < hv.length; k++) {
                        worst = Math.max(worst, Math.abs(hv[k] - approx[k]) / scale);
                        assertEquals(approx[k], hv[k], 1e-3 * scale,
                                m.name() + " " + mode + ": (H v)[" + k + "], direction " + seed);
                    }
                }
            }
            assertArrayEquals(before, m.parameterArray(), m.name() + ": parameters restored bit for bit");
            System.out.printf("%s (W = %d): R-pass against finite differences (step %.0e), largest difference %.3g "
                    + "of |H v|%n", m.name(), training.size(), STEP, worst);
        }
    }

    @Test
    void theFullHessianFromGeneratedProductsIsSymmetricToRounding() {
        for (Model m : models()) {
            HessianMatrix h = HessianMatrix.of(GeneratedHvp.of(m, inputs(m, 43), Fixtures.oneHot(N, 3, 44), N,
                    Mode.INFERENCE));
            System.out.printf("%s: W = %d, asymmetry of the generated products %.3g%n", m.name(), h.size(),
                    h.asymmetry());
            assertTrue(h.asymmetry() < Fixtures.FLOAT_ASYMMETRY, m.name() + ": asymmetry " + h.asymmetry());
        }
    }

    @Test
    void aConvolutionOverTheWholeImageHasItsDenseTwinsProducts() {
        Model conv = SecondOrderConvNets_WholeImageConvNet.create(37);
        Model dense = SecondOrderConvNets_DenseTwinNet.create(38);
        // the same parameters: the convolution's weights [filters][rows][columns][channels] are the Dense
        // layer's [units][features] over channels-last features
        for (int k = 0; k < conv.parameterTensors().size(); k++) {
            var from = conv.parameterTensors().get(k);
            var to = dense.parameterTensors().get(k);
            assertEquals(from.length(), to.length(), "tensor " + k);
            for (int i = 0; i < from.length(); i++) {
                to.set(i, from.get(i));
            }
        }
        float[] x = inputs(conv, 45);
        float[] channelsLast = new float[x.length];
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < 2; c++) {
                for (int q = 0; q < 9; q++) {
                    channelsLast[r * 18 + q * 2 + c] = x[r * 18 + c * 9 + q];
                }
            }
        }
        float[] t = Fixtures.oneHot(N, 3, 46);
        HessianVectorProduct a = GeneratedHvp.of(conv, x, t, N, Mode.INFERENCE);
        HessianVectorProduct b = GeneratedHvp.of(dense, channelsLast, t, N, Mode.INFERENCE);
        double worst = 0;
        for (long seed = 1; seed <= 3; seed++) {
            double[] v = direction(a.size(), 70 + seed);
            double[] hv = a.apply(v);
            double[] twin = b.apply(v);
            double scale = largest(twin);
            for (int k = 0; k < hv.length; k++) {
                worst = Math.max(worst, Math.abs(hv[k] - twin[k]) / scale);
                // the two forward passes round their float sums differently, nothing more
                assertEquals(twin[k], hv[k], 1e-5 * scale, "(H v)[" + k + "], direction " + seed);
            }
        }
        System.out.printf("a whole-image convolution against its Dense twin: largest difference %.3g of |H v|%n",
                worst);
    }

    @Test
    void residualStagesAgreeWithFiniteDifferencesInBothModes() {
        Model m = SecondOrderConvNets_ResidualsNet.create(39);
        float[] x = inputs(m, 47);
        float[] t = Fixtures.oneHot(N, 3, 48);
        for (Mode mode : Mode.values()) {
            HessianVectorProduct exact = GeneratedHvp.of(m, x, t, N, mode);
            FiniteDifferenceHvp fd = FiniteDifferenceHvp.of(m, x, t, N, mode).step(STEP);
            double worst = 0;
            for (long seed = 1; seed <= 2; seed++) {
                double[] v = direction(exact.size(), 80 + seed);
                double[] hv = exact.apply(v);
                double[] approx = fd.apply(v);
                double scale = largest(approx);
                assertTrue(scale > 0, mode + ": a zero product checks nothing");
                for (int k = 0; k < hv.length; k++) {
                    worst = Math.max(worst, Math.abs(hv[k] - approx[k]) / scale);
                    assertEquals(approx[k], hv[k], 1e-3 * scale, mode + ": (H v)[" + k + "], direction " + seed);
                }
            }
            HessianMatrix h = HessianMatrix.of(exact);
            assertTrue(h.asymmetry() < Fixtures.FLOAT_ASYMMETRY, mode + ": asymmetry " + h.asymmetry());
            System.out.printf("Residuals, %s (W = %d): R-pass against finite differences, largest difference %.3g "
                    + "of |H v|; asymmetry %.3g%n", mode, exact.size(), worst, h.asymmetry());
        }
    }

    @Test
    void aBatchOfSeveralChunksGivesTheMeanOfItsPartsOnAnyThreadCount() {
        // 300 samples: LeNet's first convolution runs them in three chunks on the float kernels (128, 128, 44), in ten
        // on the double GEMMs (32 each, the last 12)
        for (Model m : List.of(SecondOrderConvNets_LeNetNet.create(31), SecondOrderConvNets_LeNetInDoubleNet.create(31))) {
            severalChunks(m, 300);
        }
    }

    private static void severalChunks(Model m, int n) {
        int part = 25;
        float[] x = Fixtures.gaussian(n * m.inputSize(), 41);
        float[] t = Fixtures.oneHot(n, 3, 42);
        double[] v = direction(m.parameterCount(), 51);
        double[] whole;
        double[] again;
        try (Workers one = Workers.create(1); Workers three = Workers.create(3)) {
            m.useWorkers(one);
            whole = GeneratedHvp.of(m, x, t, n, Mode.INFERENCE).apply(v);
            m.useWorkers(three);
            again = GeneratedHvp.of(m, x, t, n, Mode.INFERENCE).apply(v);
        } finally {
            m.useWorkers(null);
        }
        // the chunks' terms are added in chunk order, whichever worker ran them
        assertArrayEquals(whole, again, m.name() + ": one thread and three give different products");
        // the mean loss's Hessian is the mean of the parts' (batches of one chunk, which the other tests check); the
        // float forward passes of the parts may round apart from the whole's in the last bit, hence not 1e-12
        double[] mean = new double[v.length];
        for (int first = 0; first < n; first += part) {
            float[] xs = java.util.Arrays.copyOfRange(x, first * m.inputSize(), (first + part) * m.inputSize());
            float[] ts = java.util.Arrays.copyOfRange(t, first * 3, (first + part) * 3);
            double[] hv = GeneratedHvp.of(m, xs, ts, part, Mode.INFERENCE).apply(v);
            for (int k = 0; k < v.length; k++) {
                mean[k] += hv[k] * part / n;
            }
        }
        double scale = largest(mean);
        assertTrue(scale > 0, "a zero product checks nothing");
        for (int k = 0; k < v.length; k++) {
            assertEquals(mean[k], whole[k], 1e-6 * scale, m.name() + ": (H v)[" + k + "]");
        }
    }
}
