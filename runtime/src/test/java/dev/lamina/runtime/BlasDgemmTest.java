package dev.lamina.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Blas#dgemm} against plain loops: every transposition, offsets into larger arrays, alpha and beta. */
class BlasDgemmTest {
    @Test
    void matchesLoopsForEveryTranspositionAtOffsets() {
        SplittableRandom random = new SplittableRandom(18);
        int m = 5;
        int n = 4;
        int k = 7;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                int lda = transA ? m : k;
                int ldb = transB ? k : n;
                double[] a = random(random, 3 + m * k + 2);
                double[] b = random(random, 5 + k * n + 1);
                double[] c = random(random, 2 + m * n + 3);
                double[] expected = c.clone();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int l = 0; l < k; l++) {
                            double x = transA ? a[3 + l * lda + i] : a[3 + i * lda + l];
                            double y = transB ? b[5 + j * ldb + l] : b[5 + l * ldb + j];
                            s += x * y;
                        }
                        expected[2 + i * n + j] = 0.5 * s + 2.0 * c[2 + i * n + j];
                    }
                }
                Blas.dgemm(transA, transB, m, n, k, 0.5, a, 3, lda, b, 5, ldb, 2.0, c, 2, n);
                for (int i = 0; i < c.length; i++) {
                    // values outside C (the first 2, the last 3) must be left as they were
                    assertEquals(expected[i], c[i], 1e-12, "transA " + transA + ", transB " + transB + ", at " + i);
                }
            }
        }
    }

    @Test
    void refusesAnOffsetOutsideTheArray() {
        double[] a = new double[4];
        assertThrows(IndexOutOfBoundsException.class,
                () -> Blas.dgemm(false, false, 1, 1, 1, 1.0, a, 5, 1, a, 0, 1, 0.0, a, 0, 1));
    }

    private static double[] random(SplittableRandom random, int size) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextDouble(-1, 1);
        }
        return values;
    }
}
