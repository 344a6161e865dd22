package dev.lamina.processor.generated;

import static dev.lamina.processor.generated.Fixtures.direction;
import static dev.lamina.processor.generated.Fixtures.largest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp.Mode;
import dev.lamina.runtime.analysis.hessian.GeneratedHvp;
import dev.lamina.runtime.analysis.hessian.HessianMatrix;
import dev.lamina.runtime.analysis.hessian.HessianVectorProduct;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated R-passes ({@code @Network(secondOrder = true)}) against a double-precision reference (central
 * differences of a double backpropagation, {@link ReferenceMlp}) for every activation and loss, in training and
 * inference mode; against {@link FiniteDifferenceHvp} where the gradient is smooth; against the closed form of a
 * linear layer with the squared error; and the full Hessian from W products, symmetric to rounding.
 */
class SecondOrderTest {
    private static final int N = 6;

    private static Model hidden(Activation act, long seed) {
        return switch (act) {
            case IDENTITY -> SecondOrderNets_HiddenIdentityNet.create(seed);
            case SIGMOID -> SecondOrderNets_HiddenSigmoidNet.create(seed);
            case TANH -> SecondOrderNets_HiddenTanhNet.create(seed);
            case RELU -> SecondOrderNets_HiddenReluNet.create(seed);
            case LEAKY_RELU -> SecondOrderNets_HiddenLeakyReluNet.create(seed);
            case ELU -> SecondOrderNets_HiddenEluNet.create(seed);
            case SELU -> SecondOrderNets_HiddenSeluNet.create(seed);
            case SOFTPLUS -> SecondOrderNets_HiddenSoftplusNet.create(seed);
            case RELU6 -> SecondOrderNets_HiddenRelu6Net.create(seed);
            case STEP -> SecondOrderNets_HiddenStepNet.create(seed);
        };
    }

    private static ReferenceMlp.Layer dense(int units, Activation act) {
        return new ReferenceMlp.Layer(units, act, true);
    }

    private static double[] flatParameters(Model m) {
        double[] w = new double[m.parameterCount()];
        int k = 0;
        for (var t : m.parameterTensors()) {
            for (int i = 0; i < t.length(); i++) {
                w[k++] = m.parameters().floats().get(t.offset() + i);
            }
        }
        return w;
    }

    /**
     * Checks {@code H v} of {@code m} against the double reference in both modes (which must agree bit for bit:
     * these networks have no dropout or batch norm), for three directions; returns the largest relative error.
     */
    private static double checkAgainstReference(String what, Model m, ReferenceMlp ref, float[] x, float[] t) {
        float[] before = m.parameterArray();
        HessianVectorProduct inference = GeneratedHvp.of(m, x, t, N, Mode.INFERENCE);
        HessianVectorProduct training = GeneratedHvp.of(m, x, t, N, Mode.TRAINING);
        double worst = 0;
        for (long seed = 1; seed <= 3; seed++) {
            double[] v = direction(inference.size(), 100 + seed);
            double[] exact = ref.hvp(flatParameters(m), v, x, t, N);
            double[] hv = inference.apply(v);
            assertArrayEquals(hv, training.apply(v), what + ": training and inference mode differ");
            double scale = Math.max(largest(exact), 1e-12);
            for (int k = 0; k < hv.length; k++) {
                worst = Math.max(worst, Math.abs(hv[k] - exact[k]) / scale);
                assertEquals(exact[k], hv[k], 1e-4 * scale, what + ": (H v)[" + k + "], direction " + seed);
            }
        }
        double[] g = inference.gradient();
        double[] gExact = ref.gradient(flatParameters(m), x, t, N);
        for (int k = 0; k < g.length; k++) {
            assertEquals(gExact[k], g[k], 1e-5 * largest(gExact), what + ": gradient " + k);
        }
        assertArrayEquals(before, m.parameterArray(), what + ": parameters restored bit for bit");
        return worst;
    }

    @Test
    void everyActivationAgreesWithTheDoublePrecisionReference() {
        float[] x = Fixtures.gaussian(N * 4, 2);
        float[] t = Fixtures.oneHot(N, 3, 3);
        for (Activation act : Activation.values()) {
            Model m = hidden(act, 11);
            ReferenceMlp ref = new ReferenceMlp(4, List.of(dense(5, act), dense(4, act),
                    dense(3, Activation.IDENTITY)), Loss.SOFTMAX_CROSS_ENTROPY, 0);
            double worst = checkAgainstReference(act.name(), m, ref, x, t);
            System.out.printf("R-pass, two hidden %s layers, softmax cross-entropy: largest error %.3g of |H v|%n",
                    act, worst);
        }
    }

    @Test
    void everyLossAgreesWithTheDoublePrecisionReference() {
        float[] x = Fixtures.gaussian(N * 4, 4);
        float[] real = Fixtures.gaussian(N * 3, 5);
        float[] binary = Fixtures.uniform(N * 3, 6);
        float[] classes = Fixtures.oneHot(N, 3, 7);
        double mse = checkAgainstReference("squared error", SecondOrderNets_RegressionNet.create(12),
                new ReferenceMlp(4, List.of(dense(5, Activation.TANH), dense(3, Activation.SIGMOID)),
                        Loss.MEAN_SQUARED_ERROR, 0), x, real);
        double sigmoid = checkAgainstReference("sigmoid cross-entropy", SecondOrderNets_BinaryNet.create(13),
                new ReferenceMlp(4, List.of(dense(5, Activation.SOFTPLUS), dense(3, Activation.IDENTITY)),
                        Loss.SIGMOID_CROSS_ENTROPY, 0), x, binary);
        double smoothed = checkAgainstReference("smoothed softmax", SecondOrderNets_SmoothedNet.create(14),
                new ReferenceMlp(4, List.of(new ReferenceMlp.Layer(5, Activation.ELU, false),
                        dense(3, Activation.IDENTITY)), Loss.SOFTMAX_CROSS_ENTROPY, 0.1), x, classes);
        float[] sequences = Fixtures.gaussian(N * 4 * 3, 25);
        double stepwise = checkAgainstReference("softmax at every step", SecondOrderNets_StepwiseNet.create(26),
                new ReferenceMlp(3, List.of(dense(5, Activation.TANH), dense(3, Activation.IDENTITY)),
                        Loss.SOFTMAX_CROSS_ENTROPY, 0, 4), sequences, Fixtures.oneHot(N * 4, 3, 27));
        double stepwiseMse = checkAgainstReference("squared error on a sequence",
                SecondOrderNets_StepwiseRegressionNet.create(28),
                new ReferenceMlp(3, List.of(dense(5, Activation.SIGMOID), dense(2, Activation.IDENTITY)),
                        Loss.MEAN_SQUARED_ERROR, 0, 4), sequences, Fixtures.gaussian(N * 4 * 2, 29));
        System.out.printf("R-pass by loss: squared error %.3g, sigmoid cross-entropy %.3g, smoothed softmax %.3g, "
                + "softmax at every step %.3g, squared error on a sequence %.3g%n", mse, sigmoid, smoothed, stepwise,
                stepwiseMse);
    }

    @Test
    void smoothNetworksAgreeWithFiniteDifferencesOfTheGradient() {
        float[] x = Fixtures.gaussian(N * 8, 8);
        float[] t = Fixtures.oneHot(N, 3, 9);
        List<Model> models = List.of(hidden(Activation.TANH, 15), hidden(Activation.SIGMOID, 16),
                hidden(Activation.SOFTPLUS, 17), SecondOrderNets_ViewsNet.create(18));
        for (Model m : models) {
            float[] xs = java.util.Arrays.copyOf(x, N * m.inputSize());
            for (Mode mode : Mode.values()) {
                HessianVectorProduct exact = GeneratedHvp.of(m, xs, t, N, mode);
                FiniteDifferenceHvp fd = FiniteDifferenceHvp.of(m, xs, t, N, mode);
                double[] v = direction(exact.size(), 19);
                double[] hv = exact.apply(v);
                double[] approx = fd.apply(v);
                double scale = largest(approx);
                double worst = 0;
                for (int k = 0; k < hv.length; k++) {
                    worst = Math.max(worst, Math.abs(hv[k] - approx[k]) / scale);
                    assertEquals(approx[k], hv[k], 2e-3 * scale, m.name() + " " + mode + ": (H v)[" + k + "]");
                }
                System.out.printf("%s, %s: R-pass against finite differences, largest difference %.3g of |H v|%n",
                        m.name(), mode, worst);
            }
        }
    }

    @Test
    void theLinearLayersHessianIsTheClosedFormInFloatAndInDouble() {
        // in double to the last bits; in float to float rounding of sums of order 1
        closedForm(SecondOrderNets_LinearInDoubleNet.create(1), 1e-12);
        closedForm(SecondOrderNets_LinearNet.create(1), 1e-6);
    }

    private static void closedForm(Model m, double tolerance) {
        float[] x = Fixtures.gaussian(N * 4, 20);
        float[] t = Fixtures.gaussian(N * 3, 21);
        HessianMatrix h = HessianMatrix.of(GeneratedHvp.of(m, x, t, N, Mode.INFERENCE));
        // flat order: out.weight [3][4], then out.bias [3]; E = (1/n) sum_r |W x_r + b - t_r|^2 / 2
        int w = h.size();
        assertEquals(15, w);
        double worst = 0;
        for (int p = 0; p < w; p++) {
            for (int q = 0; q < w; q++) {
                int unitP = p < 12 ? p / 4 : p - 12;
                int unitQ = q < 12 ? q / 4 : q - 12;
                double s = 0;
                if (unitP == unitQ) {
                    for (int r = 0; r < N; r++) {
                        double xp = p < 12 ? x[r * 4 + p % 4] : 1;
                        double xq = q < 12 ? x[r * 4 + q % 4] : 1;
                        s += xp * xq;
                    }
                    s /= N;
                }
                worst = Math.max(worst, Math.abs(s - h.get(p, q)));
                assertEquals(s, h.get(p, q), tolerance, m.name() + " (" + p + ", " + q + ")");
            }
        }
        System.out.printf("%s, squared error: largest difference from X^T X / n %.3g%n", m.name(), worst);
    }

    @Test
    void theFullHessianFromGeneratedProductsIsSymmetricToRounding() {
        for (Activation act : List.of(Activation.TANH, Activation.SIGMOID, Activation.ELU)) {
            Model m = hidden(act, 22);
            HessianMatrix h = HessianMatrix.of(GeneratedHvp.of(m, Fixtures.gaussian(N * 4, 23),
                    Fixtures.oneHot(N, 3, 24), N, Mode.INFERENCE));
            System.out.printf("two hidden %s layers: W = %d, asymmetry of the generated products %.3g%n", act,
                    h.size(), h.asymmetry());
            // finite differences leave about 2e-5 here
            assertTrue(h.asymmetry() < Fixtures.FLOAT_ASYMMETRY, act + ": asymmetry " + h.asymmetry());
        }
    }

    @Test
    void aNetworkWithoutTheAttributeRefusesTheProduct() {
        Model m = HessianNets_LinearNet.create(1);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> GeneratedHvp.of(m, new float[N * 4], new float[N * 3], N, Mode.INFERENCE));
        assertEquals(m.name() + " has no generated Hessian-vector product: declare it @Network(secondOrder = "
                + "true), or use analysis.hessian.FiniteDifferenceHvp", e.getMessage());
    }

    @Test
    void theProductFollowsAForwardPassAndChecksItsVectors() {
        Model m = SecondOrderNets_LinearNet.create(1);
        m.reserve(2);
        double[] v = new double[m.parameterCount()];
        IllegalStateException before = assertThrows(IllegalStateException.class,
                () -> m.hessianVectorProduct(2, v, new double[v.length]));
        assertTrue(before.getMessage().contains("no forward pass preceded it"), before.getMessage());
        m.forward(2);
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> m.hessianVectorProduct(2, new double[3], new double[v.length]));
        assertEquals("expected a direction and an output of 15 values (the parameters' layout), found 3 and 15",
                length.getMessage());
    }
}
