package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The optimizer state's flat view and bytes, as lamina-spark uses them to average and checkpoint it. */
class TrainingInternalsTest {
    /** More than one state chunk ({@link Optimizer#BLOCK}), and not a multiple of it. */
    private static final int SIZE = 2 * Optimizer.BLOCK + 37;

    private static float[] ramp(float scale) {
        float[] values = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            values[i] = scale * (i - SIZE / 3f);
        }
        return values;
    }

    @Test
    void theFlatStateComesBackAsSetAcrossChunks() {
        Optimizer adam = Optimizer.adam(0.01);
        float[][] state = {ramp(1e-3f), ramp(2e-5f)};
        TrainingInternals.setOptimizerState(adam, state, 7);
        assertEquals(7, adam.steps());
        float[][] back = TrainingInternals.optimizerState(adam, SIZE);
        assertArrayEquals(state[0], back[0]);
        assertArrayEquals(state[1], back[1]);
        back[0][5] = 42; // a copy: the optimizer's own state does not move
        assertEquals(state[0][5], TrainingInternals.optimizerState(adam, SIZE)[0][5]);
    }

    @Test
    void aFreshOptimizerHasZeroStateOfEachSlot() {
        assertEquals(0, TrainingInternals.optimizerState(Optimizer.sgd(0.1), SIZE).length);
        float[][] velocity = TrainingInternals.optimizerState(Optimizer.momentum(0.1, 0.9), SIZE);
        assertEquals(1, velocity.length);
        assertArrayEquals(new float[SIZE], velocity[0]);
    }

    @Test
    void savedBytesRestoreTheStateStepsAndRate() throws IOException {
        Optimizer saved = Optimizer.momentum(0.1, 0.9);
        TrainingInternals.setOptimizerState(saved, new float[][] {ramp(3e-4f)}, 12);
        saved.setLearningRate(0.025);
        Optimizer restored = Optimizer.momentum(0.1, 0.9);
        TrainingInternals.loadOptimizer(restored, TrainingInternals.saveOptimizer(saved), SIZE, "test");
        assertEquals(12, restored.steps());
        assertEquals(0.025, restored.learningRate());
        assertArrayEquals(ramp(3e-4f), TrainingInternals.optimizerState(restored, SIZE)[0]);
    }

    @Test
    void stateThatDoesNotFitIsRefusedBeforeAnythingChanges() {
        Optimizer adam = Optimizer.adam(0.01);
        TrainingInternals.setOptimizerState(adam, new float[][] {ramp(1f), ramp(2f)}, 3);
        IllegalArgumentException slots = assertThrows(IllegalArgumentException.class,
                () -> TrainingInternals.setOptimizerState(adam, new float[][] {ramp(1f)}, 4));
        assertTrue(slots.getMessage().contains("expected 2 state arrays for adam, found 1"), slots.getMessage());
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> TrainingInternals.setOptimizerState(adam, new float[][] {ramp(1f), new float[5]}, 4));
        assertTrue(lengths.getMessage().contains("found one of 5"), lengths.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> TrainingInternals.optimizerState(adam, SIZE + 1));
        assertTrue(size.getMessage().contains("expected the state of " + (SIZE + 1)), size.getMessage());
        assertEquals(3, adam.steps());
        assertArrayEquals(ramp(2f), TrainingInternals.optimizerState(adam, SIZE)[1]);
    }

    @Test
    void bytesOfAnotherOptimizerOrCutShortAreRefused() {
        byte[] momentum = TrainingInternals.saveOptimizer(Optimizer.momentum(0.1, 0.9));
        IOException kind = assertThrows(IOException.class,
                () -> TrainingInternals.loadOptimizer(Optimizer.adam(0.01), momentum, SIZE, "momentum.bin"));
        assertTrue(kind.getMessage().startsWith("momentum.bin: expected optimizer state of 2 arrays"),
                kind.getMessage());
        Optimizer withState = Optimizer.momentum(0.1, 0.9);
        TrainingInternals.setOptimizerState(withState, new float[][] {ramp(1f)}, 2);
        byte[] whole = TrainingInternals.saveOptimizer(withState);
        IOException cut = assertThrows(IOException.class, () -> TrainingInternals.loadOptimizer(
                Optimizer.momentum(0.1, 0.9), Arrays.copyOf(whole, whole.length - 4), SIZE, "cut.bin"));
        assertTrue(cut.getMessage().contains("end too early"), cut.getMessage());
        IOException longer = assertThrows(IOException.class, () -> TrainingInternals.loadOptimizer(
                Optimizer.momentum(0.1, 0.9), Arrays.copyOf(whole, whole.length + 3), SIZE, "long.bin"));
        assertTrue(longer.getMessage().contains("found 3 more"), longer.getMessage());
    }
}
