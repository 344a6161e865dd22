package dev.lamina.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rational tanh and sigmoid against the exact functions, over every float exponent that matters. */
class SquashTest {
    @Test
    void within4e7OfTheExactFunctions() {
        double worstTanh = 0;
        double worstSigmoid = 0;
        // a dense sweep of [-20, 20], then tiny and huge magnitudes
        for (int i = -2_000_000; i <= 2_000_000; i++) {
            float x = i * 1e-5f;
            worstTanh = Math.max(worstTanh, Math.abs(Squash.tanh(x) - Math.tanh(x)));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(Squash.sigmoid(x) - 1 / (1 + Math.exp(-x))));
        }
        for (float x = Float.MIN_NORMAL; x < Float.MAX_VALUE / 2; x *= 1.5f) {
            for (float s : new float[] {x, -x}) {
                worstTanh = Math.max(worstTanh, Math.abs(Squash.tanh(s) - Math.tanh(s)));
                worstSigmoid = Math.max(worstSigmoid, Math.abs(Squash.sigmoid(s) - 1 / (1 + Math.exp(-s))));
            }
        }
        assertTrue(worstTanh < 4e-7, "tanh error " + worstTanh);
        assertTrue(worstSigmoid < 4e-7, "sigmoid error " + worstSigmoid);
    }

    @Test
    void oddAndSaturating() {
        assertEquals(0f, Squash.tanh(0f));
        assertEquals(-Squash.tanh(0.3f), Squash.tanh(-0.3f));
        assertEquals(1f, Squash.tanh(100f), 1e-7f);
        assertEquals(0.5f, Squash.sigmoid(0f));
        assertEquals(0f, Squash.sigmoid(-100f), 1e-7f);
    }
}
