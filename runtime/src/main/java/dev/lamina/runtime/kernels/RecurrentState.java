package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Memory;
import java.nio.FloatBuffer;

/**
 * Carrying a stateful recurrent layer's state from one batch to the next (truncated backpropagation through
 * time): each row's last hidden state (and an LSTM's last cell) is saved outside the arena, and becomes that row's
 * initial state in the next batch. The gradient stops at the batch boundary: the initial state is an input.
 */
public final class RecurrentState {
    private RecurrentState() {
    }

    /** Copies {@code count} floats of carried state into the arena's initial-state slice. */
    public static void load(Memory carried, int carriedOff, FloatBuffer a, int initial, int count) {
        float[] values = Scratch.get(0, count);
        carried.floats().get(carriedOff, values, 0, count);
        a.put(initial, values, 0, count);
    }

    /**
     * Saves each row's last hidden state, followed by its last cell when {@code cells >= 0}, as the next batch's
     * initial state.
     */
    public static void save(RecurrentGeometry g, FloatBuffer a, int hidden, int cells, int rows, Memory carried,
                            int carriedOff) {
        int units = g.units();
        int perRow = cells >= 0 ? 2 * units : units;
        float[] values = Scratch.get(0, units);
        FloatBuffer to = carried.floats();
        for (int row = 0; row < rows; row++) {
            int last = (row * g.steps() + g.steps() - 1) * units;
            a.get(hidden + last, values, 0, units);
            to.put(carriedOff + row * perRow, values, 0, units);
            if (cells >= 0) {
                a.get(cells + last, values, 0, units);
                to.put(carriedOff + row * perRow + units, values, 0, units);
            }
        }
    }
}
