package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 15, item 1: a non-finite evaluation is never the best. */
class EarlyStoppingTest {
    @Test
    void aNanFirstEvaluationIsNotTheBestAndALaterFiniteOneIs() {
        EarlyStopping e = EarlyStopping.onValidationLoss().patience(2);
        assertFalse(e.evaluate(Double.NaN, Double.NaN, 10, 1, null));
        assertEquals(-1, e.bestStep());
        assertEquals(Double.POSITIVE_INFINITY, e.bestValue());
        assertFalse(e.evaluate(0.5, 0.9, 20, 2, null));
        assertEquals(20, e.bestStep());
        assertEquals(0.5, e.bestValue());
        assertFalse(e.evaluate(Double.POSITIVE_INFINITY, 0.9, 30, 3, null));
        assertTrue(e.evaluate(Double.NaN, 0.9, 40, 4, null), "non-finite evaluations count towards the patience");
        assertEquals(20, e.bestStep());
    }

    @Test
    void onAccuracyANanIsNotTheBestEither() {
        EarlyStopping e = EarlyStopping.onValidationAccuracy().patience(1);
        assertTrue(e.evaluate(0.1, Double.NaN, 10, 1, null));
        assertEquals(-1, e.bestStep());
    }
}
