package dev.lamina.processor.generated;

import static dev.lamina.processor.generated.Fixtures.largest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Activation;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.analysis.hessian.BeckerLeCun;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp;
import dev.lamina.runtime.analysis.hessian.GaussNewton;
import dev.lamina.runtime.analysis.hessian.HessianMatrix;
import dev.lamina.runtime.analysis.hessian.Hutchinson;
import dev.lamina.runtime.analysis.hessian.NewtonStep;
import dev.lamina.runtime.analysis.hessian.PowerIteration;
import dev.lamina.runtime.analysis.hessian.SharpnessReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Hessian toolbox on generated networks, against closed forms and against each other: the finite-difference
 * Hessian of a linear layer with the squared error against {@code X^T X / n}; the Becker-LeCun diagonal where it
 * is exact and where it is not; the outer-product approximation at zero residual; Hutchinson's trace; Newton's
 * step; the parameters and running statistics left bit for bit in training mode.
 */
class HessianTest {
    private static final int N = 6;

    private static FiniteDifferenceHvp hvp(Model m, float[] x, float[] t) {
        return FiniteDifferenceHvp.of(m, x, t, N, FiniteDifferenceHvp.Mode.INFERENCE);
    }

    /** {@code d2E/dp dq} of {@code E = (1/n) sum_r |W x_r + b - t_r|^2 / 2}, in the model's flat order. */
    private static double[] linearHessian(Model m, float[] x) {
        int in = m.inputSize();
        int out = m.outputSize();
        int w = m.parameterCount();
        int[] unit = new int[w];
        int[] input = new int[w]; // -1 for a bias
        int k = 0;
        for (Tensor t : m.parameterTensors()) {
            for (int i = 0; i < t.length(); i++, k++) {
                boolean bias = t.name().endsWith(".bias");
                unit[k] = bias ? i : i / in;
                input[k] = bias ? -1 : i % in;
            }
        }
        double[] h = new double[w * w];
        for (int p = 0; p < w; p++) {
            for (int q = 0; q < w; q++) {
                if (unit[p] != unit[q]) {
                    continue;
                }
                double s = 0;
                for (int r = 0; r < N; r++) {
                    double xp = input[p] < 0 ? 1 : x[r * in + input[p]];
                    double xq = input[q] < 0 ? 1 : x[r * in + input[q]];
                    s += xp * xq;
                }
                h[p * w + q] = s / N;
            }
        }
        assertEquals((in + 1) * out, w);
        return h;
    }

    @Test
    void theLinearLayersHessianIsTheClosedFormAndBeckerLeCunIsExactThere() {
        Model m = HessianNets_LinearNet.create(1);
        float[] x = Fixtures.gaussian(N * 4, 2);
        float[] t = Fixtures.gaussian(N * 3, 3);
        double[] exact = linearHessian(m, x);
        float[] before = m.parameterArray();
        HessianMatrix h = HessianMatrix.of(hvp(m, x, t));
        assertArrayEquals(before, m.parameterArray(), "parameters restored bit for bit");
        int w = h.size();
        double scale = largest(exact);
        // a quadratic: no truncation error, only the float gradients' rounding over the step
        for (int p = 0; p < w; p++) {
            for (int q = 0; q < w; q++) {
                assertEquals(exact[p * w + q], h.get(p, q), 1e-4 * scale, "(" + p + ", " + q + ")");
            }
        }
        double[] diagonal = BeckerLeCun.diagonal(m, x, t, N, Activation.IDENTITY);
        for (int p = 0; p < w; p++) {
            assertEquals(exact[p * w + p], diagonal[p], 1e-6 * scale, "diagonal " + p);
        }
    }

    @Test
    void newtonsStepLandsOnTheLinearLayersMinimumInOneStep() {
        Model m = HessianNets_LinearNet.create(4);
        float[] x = Fixtures.gaussian(N * 4, 5);
        float[] t = Fixtures.gaussian(N * 3, 6);
        FiniteDifferenceHvp op = hvp(m, x, t);
        double[] g = op.gradient();
        double lossBefore = op.loss();
        double[] step = NewtonStep.of(HessianMatrix.of(op), g);
        float[] p = m.parameterArray();
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) step[i]; // the flat order is the parameter array's for one Dense layer
        }
        m.parameters().floats().put(0, p);
        double after = largest(op.gradient());
        double lossAfter = op.loss();
        System.out.printf("Newton on the linear layer: loss %.6g -> %.6g, largest gradient %.3g -> %.3g%n",
                lossBefore, lossAfter, largest(g), after);
        assertTrue(after < 1e-3 * largest(g), "gradient " + after + " after the step, " + largest(g) + " before");
        double[] second = NewtonStep.of(HessianMatrix.of(op), op.gradient());
        assertTrue(largest(second) < 1e-3 * largest(step), "a second step moves " + largest(second));
    }

    @Test
    void theFullHessianOfATwoLayerNetIsSymmetricToFloatPrecision() {
        Model m = HessianNets_TwoLayerClassifierNet.create(7);
        float[] x = Fixtures.gaussian(N * 4, 8);
        float[] t = Fixtures.oneHot(N, 3, 9);
        HessianMatrix h = HessianMatrix.of(hvp(m, x, t));
        System.out.printf("two-layer classifier: W = %d, asymmetry of the products %.3g%n", h.size(),
                h.asymmetry());
        assertTrue(h.asymmetry() < 1e-3, "asymmetry " + h.asymmetry());
        assertTrue(h.asymmetry() > 0, "products from float passes are never exactly symmetric");
    }

    @Test
    void beckerLeCunOnTwoLayersIsAnApproximationWhoseErrorIsReported() {
        // softmax cross-entropy: the loss's Hessian in the logits, diag(p) - p p^T, is not diagonal, and the
        // backpropagation drops its off-diagonal part on the way to the first layer
        Model m = HessianNets_TwoLayerClassifierNet.create(10);
        float[] x = Fixtures.gaussian(N * 4, 11);
        float[] t = Fixtures.oneHot(N, 3, 12);
        double[] exact = HessianMatrix.of(hvp(m, x, t)).diagonal();
        double[] approximate = BeckerLeCun.diagonal(m, x, t, N, Activation.SIGMOID, Activation.IDENTITY);
        double[] errors = layerErrors(exact, approximate, 5 * 4 + 5);
        double scale = largest(exact);
        System.out.printf("Becker-LeCun on 4-5-3 sigmoid, softmax: largest |exact - approximate| %.3g on the first"
                + " layer, %.3g on the output layer, largest diagonal element %.3g%n", errors[0], errors[1], scale);
        // the output layer's weights are one layer from the loss: exact there, up to the finite differences
        assertTrue(errors[1] < 1e-3 * scale, "output layer " + errors[1]);
        assertTrue(Double.isFinite(errors[0]) && errors[0] > 1e-3 * scale, "first layer " + errors[0]);
    }

    @Test
    void beckerLeCunIsExactForTwoLayersUnderTheSquaredErrorOfALinearOutput() {
        // the squared error's Hessian in a linear output is the identity: nothing off the diagonal to drop
        Model m = HessianNets_TwoLayerRegressionNet.create(10);
        float[] x = Fixtures.gaussian(N * 4, 11);
        float[] t = Fixtures.gaussian(N * 3, 12);
        double[] exact = HessianMatrix.of(hvp(m, x, t)).diagonal();
        double[] approximate = BeckerLeCun.diagonal(m, x, t, N, Activation.TANH, Activation.IDENTITY);
        double[] errors = layerErrors(exact, approximate, 5 * 4 + 5);
        System.out.printf("Becker-LeCun on 4-5-3 tanh, squared error: largest |exact - approximate| %.3g, %.3g%n",
                errors[0], errors[1]);
        assertTrue(Math.max(errors[0], errors[1]) < 1e-3 * largest(exact), "errors " + errors[0] + ", "
                + errors[1]);
    }

    /** The largest error on the first layer's parameters (the first {@code first}) and on the rest. */
    private static double[] layerErrors(double[] exact, double[] approximate, int first) {
        double[] errors = new double[2];
        for (int p = 0; p < exact.length; p++) {
            int layer = p < first ? 0 : 1;
            errors[layer] = Math.max(errors[layer], Math.abs(exact[p] - approximate[p]));
        }
        return errors;
    }

    @Test
    void beckerLeCunRefusesOtherLayersAndMismatchedActivations() {
        Model m = HessianNets_NormalisedNet.create(13);
        float[] x = Fixtures.gaussian(N * 4, 14);
        float[] t = Fixtures.oneHot(N, 3, 15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BeckerLeCun.diagonal(m, x, t, N, Activation.TANH, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("'bn' (BatchNorm)"), e.getMessage());
        Model two = HessianNets_TwoLayerRegressionNet.create(10);
        e = assertThrows(IllegalArgumentException.class,
                () -> BeckerLeCun.diagonal(two, x, Fixtures.gaussian(N * 3, 1), N, Activation.TANH));
        assertTrue(e.getMessage().contains("one activation"), e.getMessage());
    }

    @Test
    void theOuterProductApproximationIsTheHessianAtZeroResidual() {
        Model m = HessianNets_TwoLayerRegressionNet.create(16);
        float[] x = Fixtures.gaussian(N * 4, 17);
        float[] t = m.predict(x, N);
        HessianMatrix h = HessianMatrix.of(hvp(m, x, t));
        GaussNewton gn = GaussNewton.of(m, x, N);
        assertEquals(N * 3, gn.vectors().size());
        double[] outer = gn.matrix();
        int w = h.size();
        double scale = largest(h.values());
        double worst = 0;
        for (int p = 0; p < w; p++) {
            for (int q = 0; q < w; q++) {
                worst = Math.max(worst, Math.abs(outer[p * w + q] - h.get(p, q)));
            }
        }
        System.out.printf("Gauss-Newton at zero residual: largest difference %.3g, largest element %.3g%n", worst,
                scale);
        assertTrue(worst < 1e-3 * scale, "largest difference " + worst);
        // away from zero residual the dropped term shows
        HessianMatrix away = HessianMatrix.of(hvp(m, x, Fixtures.gaussian(N * 3, 18)));
        double apart = 0;
        for (int p = 0; p < w; p++) {
            for (int q = 0; q < w; q++) {
                apart = Math.max(apart, Math.abs(outer[p * w + q] - away.get(p, q)));
            }
        }
        assertTrue(apart > 1e-2 * scale, "with residuals the Hessian differs by " + apart);
    }

    @Test
    void theOuterProductOfTheSoftmaxCrossEntropyIsItsHessianForOneLayerAndShermanMorrisonInvertsIt() {
        // one layer of weights: the logits are linear in the parameters, so the Hessian is exactly
        // (1/N) sum J^T (diag(p) - p p^T) J whatever the (one-hot) targets
        Model m = HessianNets_LinearClassifierNet.create(19);
        float[] x = Fixtures.gaussian(N * 4, 20);
        HessianMatrix h = HessianMatrix.of(hvp(m, x, Fixtures.oneHot(N, 3, 21)));
        GaussNewton gn = GaussNewton.of(m, x, N);
        double[] outer = gn.matrix();
        int w = gn.size();
        double scale = largest(h.values());
        for (int i = 0; i < w; i++) {
            for (int j = 0; j < w; j++) {
                assertEquals(h.get(i, j), outer[i * w + j], 1e-3 * scale, "(" + i + ", " + j + ")");
            }
        }
        double[] inverse = gn.inverse(0.1);
        // (0.1 I + sum b b^T) times the Sherman-Morrison inverse is I
        for (int i = 0; i < w; i++) {
            for (int j = 0; j < w; j++) {
                double s = 0;
                for (int k = 0; k < w; k++) {
                    s += ((i == k ? 0.1 : 0) + outer[i * w + k]) * inverse[k * w + j];
                }
                assertEquals(i == j ? 1 : 0, s, 1e-9, "(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void hutchinsonsTraceIsWithinItsStandardErrorOfTheExactTrace() {
        Model m = HessianNets_TwoLayerClassifierNet.create(21);
        float[] x = Fixtures.gaussian(N * 4, 22);
        float[] t = Fixtures.oneHot(N, 3, 23);
        FiniteDifferenceHvp op = hvp(m, x, t);
        double exact = HessianMatrix.of(op).trace();
        Hutchinson.Estimate estimate = Hutchinson.trace(op, 200, 24);
        System.out.printf("Hutchinson: %.5g +- %.2g (200 vectors), exact trace %.5g%n", estimate.trace(),
                estimate.standardError(), exact);
        assertTrue(estimate.standardError() > 0);
        assertTrue(Math.abs(estimate.trace() - exact) <= 3 * estimate.standardError(),
                estimate + " against " + exact);
        PowerIteration.Eigenpairs top = PowerIteration.top(op, 1, 300, 1e-8, 25);
        double[] v = top.vectors().get(0);
        double[] hv = HessianMatrix.of(op).times(v);
        for (int i = 0; i < v.length; i++) {
            assertEquals(top.values()[0] * v[i], hv[i], 1e-3 * Math.abs(top.values()[0]), "eigenvector " + i);
        }
        SharpnessReport report = SharpnessReport.of(m.name(), op, 2, 20, 26);
        System.out.print(report);
        assertEquals(top.values()[0], report.topEigenvalues()[0], 1e-3 * Math.abs(top.values()[0]));
    }

    @Test
    void trainingModeProductsAreRepeatableAndLeaveEverythingBitForBit() {
        Model m = HessianNets_NormalisedNet.create(27);
        float[] x = Fixtures.gaussian(N * 4, 28);
        float[] t = Fixtures.oneHot(N, 3, 29);
        float[] parameters = m.parameterArray();
        float[] buffers = m.buffers().toArray();
        FiniteDifferenceHvp op = FiniteDifferenceHvp.of(m, x, t, N, FiniteDifferenceHvp.Mode.TRAINING);
        double[] v = new double[op.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i + 1);
        }
        double[] first = op.apply(v);
        double[] again = op.apply(v);
        assertArrayEquals(parameters, m.parameterArray());
        assertArrayEquals(buffers, m.buffers().toArray(), "running statistics restored");
        assertFalse(m.isTraining(), "the mode restored");
        assertArrayEquals(first, again, "the same masks and batch statistics each time");
        double[] inference = hvp(m, x, t).apply(v);
        double differ = 0;
        for (int i = 0; i < v.length; i++) {
            differ = Math.max(differ, Math.abs(first[i] - inference[i]));
        }
        assertTrue(differ > 1e-3 * largest(first), "training mode differentiates another function");
        List<Tensor> tensors = m.parameterTensors();
        assertEquals(tensors.stream().mapToInt(Tensor::length).sum(), op.size());
    }
}
