package dev.lamina.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TsneTest {
    private static final int PER_CLUSTER = 40;
    private static final int DIMS = 10;

    /** Two unit Gaussians in 10-D whose centres lie 8 apart on every axis; labels 0 then 1. */
    private static float[] twoClusters() {
        Rng rng = new Rng(11);
        float[] x = new float[2 * PER_CLUSTER * DIMS];
        for (int i = 0; i < 2 * PER_CLUSTER; i++) {
            double centre = i < PER_CLUSTER ? 0 : 8;
            for (int k = 0; k < DIMS; k++) {
                x[i * DIMS + k] = (float) (centre + rng.nextGaussian());
            }
        }
        return x;
    }

    private static Tsne tsne() {
        return Tsne.create().perplexity(10).iterations(400).seed(5);
    }

    @Test
    void separatesTwoWellSeparatedClusters() {
        int n = 2 * PER_CLUSTER;
        double[] y = tsne().embed(twoClusters(), n, DIMS);
        assertEquals(2 * n, y.length);
        int same = 0;
        for (int i = 0; i < n; i++) {
            int nearest = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double d = Math.hypot(y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]);
                if (j != i && d < best) {
                    best = d;
                    nearest = j;
                }
            }
            same += (i < PER_CLUSTER) == (nearest < PER_CLUSTER) ? 1 : 0;
        }
        double purity = (double) same / n;
        assertEquals(1.0, purity, "nearest-neighbour purity in the embedding");
        // and the clusters are apart: the centroids further from each other than any point from its own
        double[] c0 = centroid(y, 0);
        double[] c1 = centroid(y, PER_CLUSTER);
        double between = Math.hypot(c0[0] - c1[0], c0[1] - c1[1]);
        for (int i = 0; i < n; i++) {
            double[] own = i < PER_CLUSTER ? c0 : c1;
            assertTrue(Math.hypot(y[2 * i] - own[0], y[2 * i + 1] - own[1]) < between / 2, "point " + i);
        }
    }

    @Test
    void isDeterministicForASeed() {
        float[] x = twoClusters();
        int n = 2 * PER_CLUSTER;
        double[] a = tsne().iterations(100).embed(x, n, DIMS);
        double[] b = tsne().iterations(100).embed(x, n, DIMS);
        assertArrayEquals(a, b, 0);
        assertFalse(Arrays.equals(a, tsne().iterations(100).seed(6).embed(x, n, DIMS)), "another seed, another start");
    }

    @Test
    void badInputIsRefusedWithWhatWasExpected() {
        IllegalArgumentException perplexity = assertThrows(IllegalArgumentException.class,
                () -> Tsne.create().perplexity(30).embed(new float[20], 10, 2));
        assertEquals("expected a perplexity below n - 1 = 9 for 10 points (each has 9 neighbours), found 30.0",
                perplexity.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> Tsne.create().perplexity(2).embed(new float[19], 10, 2));
        assertEquals("expected 10 x 2 = 20 values, found 19", length.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tsne.create().perplexity(0.5));
    }

    private static double[] centroid(double[] y, int from) {
        double[] c = new double[2];
        for (int i = from; i < from + PER_CLUSTER; i++) {
            c[0] += y[2 * i] / PER_CLUSTER;
            c[1] += y[2 * i + 1] / PER_CLUSTER;
        }
        return c;
    }
}
