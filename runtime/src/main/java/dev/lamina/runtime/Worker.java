package dev.lamina.runtime;

/**
 * Internal, not API: called by the code the processor generates (which lives in the user's own module, so it must be
 * public); it may change in any release.
 *
 * <p>One member of a {@link Workers} team, as a generated pass sees it: its index, the team barrier, a deterministic
 * all-reduce for statistics over the whole batch, and off-heap scratch of its own (for im2col columns), which
 * stays in this core's cache from one chunk to the next.
 */
public final class Worker {
    private final Workers team;
    private final int index;
    private final Memory[] scratch = {Memory.allocate(0), Memory.allocate(0), Memory.allocate(0)};
    private double[] partial = new double[0];
    private double[] doubles = new double[0];
    private final float[][] blocks = new float[6][BLOCK];

    /**
     * Floats in one of {@link #block}'s arrays: generated element-wise passes move a block of the arena to the
     * heap, where their loops compile to vector code, and back. 16 KiB each: a pass uses two to six of them.
     */
    public static final int BLOCK = 4096;

    Worker(Workers team, int index) {
        this.team = team;
        this.index = index;
    }

    /**
     * {@return this worker's position in its team, from 0 to {@code count() - 1}; worker 0 runs on the calling thread}
     */
    public int index() {
        return index;
    }

    /** {@return number of workers in the team} */
    public int count() {
        return team.count();
    }

    /** Waits until every worker of the team has reached this call. */
    public void barrier() {
        team.barrier().await();
    }

    /**
     * Sums {@code values[0, length)} over the workers, in place: every worker gets the same total, added in worker
     * order so that the result does not depend on timing.
     *
     * @param values this worker's values, replaced by the totals
     * @param length how many values, the same on every worker
     */
    public void allReduce(double[] values, int length) {
        if (team.count() == 1) {
            return;
        }
        if (partial.length < length) {
            partial = new double[length];
        }
        System.arraycopy(values, 0, partial, 0, length);
        barrier();
        java.util.Arrays.fill(values, 0, length, 0.0);
        for (int w = 0; w < team.count(); w++) {
            double[] other = team.worker(w).partial;
            for (int i = 0; i < length; i++) {
                values[i] += other[i];
            }
        }
        barrier();
    }

    /**
     * {@return a zeroed worker-owned array of {@code length} doubles (for per-channel sums); valid until the next call}
     *
     * @param length the number of doubles
     */
    public double[] doubles(int length) {
        if (doubles.length < length) {
            doubles = new double[length];
        }
        java.util.Arrays.fill(doubles, 0, length, 0.0);
        return doubles;
    }

    /**
     * Heap block {@code slot} (0 to 5) of {@link #BLOCK} floats, this worker's own; contents undefined.
     *
     * @param slot the block's number, 0 to 5
     * @return the block
     */
    public float[] block(int slot) {
        return blocks[slot];
    }

    /**
     * Off-heap scratch block {@code slot} (0 to 2) of at least {@code floats}; grows, never shrinks. Convolutions
     * use 0 and 1 for columns and their gradient, 2 for their weights transposed.
     *
     * @param slot the block's number, 0 to 2
     * @param floats the least size in floats
     * @return the block
     */
    public Memory scratch(int slot, int floats) {
        if (scratch[slot].size() < floats) {
            scratch[slot] = Memory.allocate(floats);
        }
        return scratch[slot];
    }
}
