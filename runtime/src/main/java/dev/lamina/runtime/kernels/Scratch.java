package dev.lamina.runtime.kernels;

/**
 * Per-thread heap arrays the kernels work in. Element-wise access to a direct buffer costs a bounds and scope
 * check per float; the kernels instead bulk-copy one image at a time into these arrays (a memcpy), loop over plain
 * arrays the JIT compiles well, and bulk-copy back. They grow to the largest image seen and are then reused, so a
 * training step allocates nothing.
 */
final class Scratch {
    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[10][0]);
    private static final ThreadLocal<int[][]> INTS = ThreadLocal.withInitial(() -> new int[1][0]);

    private Scratch() {
    }

    /** Scratch array number {@code slot} (0..9) of at least {@code size} floats; contents undefined. */
    static float[] get(int slot, int size) {
        float[][] arrays = ARRAYS.get();
        if (arrays[slot].length < size) {
            arrays[slot] = new float[size];
        }
        return arrays[slot];
    }

    /** This thread's int scratch array of at least {@code size}; contents undefined. */
    static int[] ints(int size) {
        int[][] arrays = INTS.get();
        if (arrays[0].length < size) {
            arrays[0] = new int[size];
        }
        return arrays[0];
    }
}
