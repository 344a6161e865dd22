package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The gradient scan's finiteness test, at every position of a block and for every kind of non-finite value. */
class DivergenceTest {
    @Test
    void findsEveryNonFiniteValueAndPassesEveryFiniteOne() {
        float[] v = {0f, -0f, 1f, -2.5f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, 1e-30f, 7f, 3f, 2f};
        assertTrue(Divergence.finite(v, v.length));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int at = 0; at < v.length; at++) {
                float[] w = v.clone();
                w[at] = bad;
                assertFalse(Divergence.finite(w, w.length), bad + " at " + at);
                // and only the first n count
                assertTrue(Divergence.finite(w, at), bad + " beyond " + at);
            }
        }
    }
}
