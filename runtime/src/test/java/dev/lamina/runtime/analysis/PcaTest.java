package dev.lamina.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PcaTest {

    @Test
    void axisAlignedCrossHasTheAxesAsComponentsAndVariancesByHand() {
        // (+-2, 0) and (0, +-1): mean 0, covariance diag(8/3, 2/3) with denominator n - 1 = 3
        float[] data = {2, 0, -2, 0, 0, 1, 0, -1};
        Pca pca = Pca.fit(data, 4, 2, 2);
        assertArrayEquals(new double[] {8.0 / 3, 2.0 / 3}, pca.variances(), 1e-12);
        assertArrayEquals(new double[] {0.8, 0.2}, pca.explainedVarianceRatio(), 1e-12);
        assertArrayEquals(new double[] {1, 0}, pca.component(0), 1e-12);
        assertArrayEquals(new double[] {0, 1}, pca.component(1), 1e-12);
        assertArrayEquals(new double[] {2, 0, -2, 0, 0, 1, 0, -1}, pca.project(data, 4), 1e-12);
    }

    @Test
    void pointsOnALineHaveThatLineAsTheOnlyComponentWithVariance() {
        // x = (1, 1, 1) + t (1, 2, 2) / 3: one direction of variance var(t), the sign making 2/3 positive
        double[] ts = {-3, -1, 0, 0.5, 2, 4};
        float[] data = new float[ts.length * 3];
        double mean = 0;
        for (int i = 0; i < ts.length; i++) {
            data[3 * i] = (float) (1 - ts[i] / 3);
            data[3 * i + 1] = (float) (1 - 2 * ts[i] / 3);
            data[3 * i + 2] = (float) (1 - 2 * ts[i] / 3);
            mean += ts[i] / ts.length;
        }
        double variance = 0;
        for (double t : ts) {
            variance += (t - mean) * (t - mean) / (ts.length - 1);
        }
        Pca pca = Pca.fit(data, ts.length, 3, 3);
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3, 2.0 / 3}, pca.component(0), 1e-6);
        assertEquals(variance, pca.variances()[0], 1e-5);
        assertEquals(0, pca.variances()[1], 1e-6);
        assertEquals(1, pca.explainedVarianceRatio()[0], 1e-6);
    }

    @Test
    void componentsAreOrthonormalOrderedAndTheProjectionsVariancesAreTheirs() {
        int n = 200;
        int d = 6;
        Rng rng = new Rng(3);
        float[] data = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                // correlated columns with different spreads
                data[i * d + j] = (float) ((j + 1) * rng.nextGaussian() + (j > 0 ? data[i * d + j - 1] : 0));
            }
        }
        Pca pca = Pca.fit(data, n, d, d);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                assertEquals(a == b ? 1 : 0, dot(pca.component(a), pca.component(b)), 1e-10, a + "." + b);
            }
        }
        double[] v = pca.variances();
        for (int c = 1; c < d; c++) {
            assertTrue(v[c - 1] >= v[c], "variances in descending order: " + Arrays.toString(v));
        }
        assertEquals(1, Arrays.stream(pca.explainedVarianceRatio()).sum(), 1e-10);
        double[] projected = pca.project(data, n);
        for (int c = 0; c < d; c++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += projected[i * d + c] * projected[i * d + c];
            }
            assertEquals(v[c], s / (n - 1), 1e-6 * v[0], "variance along component " + c);
        }
        assertArrayEquals(pca.component(0), Pca.fit(data, n, d, 2).component(0), 0, "the same on every run");
    }

    @Test
    void badInputIsRefusedWithWhatWasExpected() {
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> Pca.fit(new float[11], 3, 4, 2));
        assertEquals("expected 3 x 4 = 12 values, found 11", length.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> Pca.fit(new float[12], 3, 4, 5));
        assertEquals("expected between 1 and 4 components (the data's dimensions), found k = 5", k.getMessage());
        Pca pca = Pca.fit(new float[] {0, 1, 2, 3, 4, 6}, 3, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> pca.project(new float[3], 2));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
