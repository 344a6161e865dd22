package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.Jacobian;
import dev.lamina.runtime.analysis.Saliency;
import org.junit.jupiter.api.Test;

/**
 * {@link Jacobian} against central differences, and {@link Saliency} against the Jacobian.
 *
 * <p>The reference: for input value {@code i} (of every row at once: in inference mode rows do not interact),
 * {@code D(h) = (y(fl(x + h)) - y(fl(x - h))) / (fl(x + h) - fl(x - h))} from float {@code predict} outputs
 * subtracted in double, extrapolated as {@code (4 D(h/2) - D(h)) / 3} (truncation error O(h^4)). With
 * {@code h = 1e-2}, the outputs' float rounding (a few 1e-8 for outputs of order 1) contributes about 1e-5; the
 * limit {@code 1e-4 + 1e-3 |numeric|} leaves a margin of ten over that.
 */
class JacobianTest {
    private static final double STEP = 1e-2;
    private static final double ABSOLUTE = 1e-4;
    private static final double RELATIVE = 1e-3;

    @Test
    void aSmoothDenseNetworkAgreesWithCentralDifferences() {
        Model m = AnalysisNets_SmoothDenseNet.create(3);
        assertAgrees(m, Fixtures.gaussian(4 * m.inputSize(), 11), 4);
    }

    @Test
    void aConvolutionalNetworkAgreesWithCentralDifferences() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        assertAgrees(m, Fixtures.gaussian(3 * m.inputSize(), 12), 3);
    }

    @Test
    void anImageOutputIsNumberedAsPredictLaysItOut() {
        // outputs [2, 3, 2] stored channels last; the reference differentiates predict's outputs, so it checks that
        Model m = LayerOutputNets_ImageOutNet.create(7);
        assertAgrees(m, Fixtures.gaussian(2 * m.inputSize(), 14), 2);
    }

    @Test
    void saliencyIsTheJacobianRowsLargestMagnitudeOverChannels() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        int n = 3;
        int out = m.outputSize();
        int in = m.inputSize();
        float[] x = Fixtures.gaussian(n * in, 13);
        int[] classes = {2, 0, 1};
        float[] jacobian = Jacobian.of(m, x, n);
        float[] maps = Saliency.of(m, x, n, classes);
        assertEquals(n * 36, maps.length);
        for (int r = 0; r < n; r++) {
            for (int p = 0; p < 36; p++) {
                int row = (r * out + classes[r]) * in;
                float expected = Math.max(Math.abs(jacobian[row + p]), Math.abs(jacobian[row + 36 + p]));
                assertEquals(expected, maps[r * 36 + p], 1e-6 * expected, "sample " + r + ", pixel " + p);
            }
        }
        float[] predicted = Saliency.ofPredicted(m, x, n);
        assertArrayEquals(Saliency.of(m, x, n, m.classify(x, n)), predicted);
    }

    @Test
    void theModeAndTheInputGradientSettingAreRestored() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        m.setTraining(true);
        Jacobian.of(m, Fixtures.gaussian(m.inputSize(), 1), 1);
        assertTrue(m.isTraining());
        assertFalse(m.state().computesInputGradient());
        m.setTraining(false);
        m.computeInputGradient(true);
        Saliency.of(m, Fixtures.gaussian(m.inputSize(), 1), 1, new int[] {0});
        assertFalse(m.isTraining());
        assertTrue(m.state().computesInputGradient());
    }

    @Test
    void refusesInputsOfTheWrongSize() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jacobian.of(m, new float[10], 1));
        assertTrue(e.getMessage().contains("expected 1 x 72 = 72 input values, found 10"), e.getMessage());
        IllegalArgumentException vector = assertThrows(IllegalArgumentException.class,
                () -> Saliency.of(AnalysisNets_SmoothDenseNet.create(1), new float[5], 1, new int[] {0}));
        assertTrue(vector.getMessage().contains("[channels, height, width]"), vector.getMessage());
    }

    private static void assertAgrees(Model m, float[] x, int n) {
        int in = m.inputSize();
        int out = m.outputSize();
        float[] jacobian = Jacobian.of(m, x, n);
        assertEquals(n * out * in, jacobian.length);
        double worst = 0;
        for (int i = 0; i < in; i++) {
            double[] wide = difference(m, x, n, i, STEP);
            double[] narrow = difference(m, x, n, i, STEP / 2);
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < out; k++) {
                    double numeric = (4 * narrow[r * out + k] - wide[r * out + k]) / 3;
                    double analytic = jacobian[(r * out + k) * in + i];
                    double limit = ABSOLUTE + RELATIVE * Math.abs(numeric);
                    worst = Math.max(worst, Math.abs(analytic - numeric) / limit);
                    assertEquals(numeric, analytic, limit, "row " + r + ", output " + k + ", input " + i);
                }
            }
        }
        assertTrue(worst > 0 && worst <= 1, "worst error over limit: " + worst);
    }

    /** {@code dy/dx_i} of every row and output by a central difference of float outputs, in double. */
    private static double[] difference(Model m, float[] x, int n, int i, double h) {
        int in = m.inputSize();
        float[] up = x.clone();
        float[] down = x.clone();
        double[] step = new double[n];
        for (int r = 0; r < n; r++) {
            up[r * in + i] = (float) (x[r * in + i] + h);
            down[r * in + i] = (float) (x[r * in + i] - h);
            step[r] = (double) up[r * in + i] - down[r * in + i];
        }
        float[] plus = m.predict(up, n);
        float[] minus = m.predict(down, n);
        int out = m.outputSize();
        double[] d = new double[plus.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = ((double) plus[j] - minus[j]) / step[j / out];
        }
        return d;
    }
}
