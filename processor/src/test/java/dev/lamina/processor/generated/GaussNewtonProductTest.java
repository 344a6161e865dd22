package dev.lamina.processor.generated;

import static dev.lamina.processor.generated.Fixtures.direction;
import static dev.lamina.processor.generated.Fixtures.largest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp.Mode;
import dev.lamina.runtime.analysis.hessian.GaussNewton;
import dev.lamina.runtime.analysis.hessian.GeneratedHvp;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated Gauss-Newton products ({@code Model.gaussNewtonVectorProduct}): against the toolbox's outer-product
 * form {@link GaussNewton} ({@code sum b b^T}, from per-sample backward passes) for every loss and a convolutional
 * network; equal to the exact {@code H v} where the residuals vanish and not elsewhere; positive semidefinite.
 */
class GaussNewtonProductTest {
    private static final int N = 6;

    /** {@code sum b (b . v)}: the outer-product form's product, in double. */
    private static double[] outerProduct(GaussNewton gn, double[] v) {
        double[] out = new double[v.length];
        for (double[] b : gn.vectors()) {
            double s = 0;
            for (int k = 0; k < v.length; k++) {
                s += b[k] * v[k];
            }
            for (int k = 0; k < v.length; k++) {
                out[k] += s * b[k];
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    @Test
    void agreesWithTheOuterProductFormForEveryLoss() {
        List<Model> models = List.of(SecondOrderNets_HiddenTanhNet.create(31), SecondOrderNets_RegressionNet.create(32),
                SecondOrderNets_BinaryNet.create(33), SecondOrderNets_SmoothedNet.create(34),
                SecondOrderConvNets_LeNetNet.create(35));
        for (Model m : models) {
            float[] x = Fixtures.gaussian(N * m.inputSize(), 36);
            float[] t = m.lossKind() == Loss.MEAN_SQUARED_ERROR
                    ? Fixtures.uniform(N * m.outputSize(), 37) : Fixtures.oneHot(N, m.outputSize(), 37);
            GaussNewton reference = GaussNewton.of(m, x, N);
            GeneratedHvp generated = GeneratedHvp.gaussNewton(m, x, t, N, Mode.INFERENCE);
            double worst = 0;
            for (long seed = 1; seed <= 3; seed++) {
                double[] v = direction(generated.size(), 40 + seed);
                double[] expected = outerProduct(reference, v);
                double[] gv = generated.apply(v);
                double scale = largest(expected);
                assertTrue(scale > 0, m.name() + ": a product that is not zero");
                for (int k = 0; k < gv.length; k++) {
                    worst = Math.max(worst, Math.abs(gv[k] - expected[k]) / scale);
                    // the reference's vectors come from float backward passes
                    assertEquals(expected[k], gv[k], 1e-4 * scale, m.name() + ": (G v)[" + k + "], direction "
                            + seed);
                }
                assertTrue(dot(v, gv) >= 0, m.name() + ": v^T G v = " + dot(v, gv) + " (G is semidefinite)");
            }
            System.out.printf("%s: generated G v against sum b b^T v, largest difference %.3g of |G v|%n", m.name(),
                    worst);
        }
    }

    @Test
    void equalsTheExactHessianAtZeroResidualAndNotElsewhere() {
        Model m = SecondOrderNets_RegressionNet.create(41);
        float[] x = Fixtures.gaussian(N * 4, 42);
        // targets equal to the outputs: the squared error's residuals vanish, and with them H - G
        m.reserve(N);
        for (int r = 0; r < N; r++) {
            m.setInput(r, x, r * 4);
        }
        m.setTraining(false);
        m.forward(N);
        float[] own = new float[N * 3];
        for (int r = 0; r < N; r++) {
            for (int k = 0; k < 3; k++) {
                own[r * 3 + k] = m.output(r, k);
            }
        }
        double[] v = direction(m.parameterCount(), 43);
        double[] gv = GeneratedHvp.gaussNewton(m, x, own, N, Mode.INFERENCE).apply(v);
        double[] hv = GeneratedHvp.of(m, x, own, N, Mode.INFERENCE).apply(v);
        double scale = largest(hv);
        for (int k = 0; k < hv.length; k++) {
            assertEquals(hv[k], gv[k], 1e-12 * scale, "(G v)[" + k + "] against (H v)[" + k + "] at zero residual");
        }
        // away from it the network's own second derivatives count (tanh and sigmoid here)
        float[] other = Fixtures.uniform(N * 3, 44);
        double[] gOther = GeneratedHvp.gaussNewton(m, x, other, N, Mode.INFERENCE).apply(v);
        double[] hOther = GeneratedHvp.of(m, x, other, N, Mode.INFERENCE).apply(v);
        double apart = 0;
        for (int k = 0; k < hOther.length; k++) {
            apart = Math.max(apart, Math.abs(hOther[k] - gOther[k]));
        }
        assertTrue(apart > 1e-3 * largest(hOther), "H v and G v differ where the residuals do not vanish: " + apart);
    }

    @Test
    void aNetworkWithoutTheAttributeRefusesTheProduct() {
        Model m = HessianNets_LinearNet.create(1);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> GeneratedHvp.gaussNewton(m, new float[N * 4], new float[N * 3], N, Mode.INFERENCE));
        assertEquals(m.name() + " has no generated Gauss-Newton-vector product: declare it @Network(secondOrder = "
                + "true), or use analysis.hessian.GaussNewton", e.getMessage());
    }
}
