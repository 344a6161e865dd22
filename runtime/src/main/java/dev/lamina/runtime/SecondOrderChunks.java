package dev.lamina.runtime;

/**
 * Internal, not API: called by the code the processor generates (which lives in the user's own module, so it must be
 * public); it may change in any release.
 *
 * <p>How a generated {@code hessianVectorProduct} spreads a layer's R-rules over the model's workers: the batch is
 * cut into chunks of a fixed number of samples that depends only on the layer, and each worker runs a contiguous
 * run of chunks. A chunk writes only its own samples' rows, and what it sums over samples (a layer's terms of
 * {@code H v}) it leaves in a part of its own, which the caller adds up in chunk order: the product does not depend
 * on the thread count. Each worker keeps its scratch arrays and direct buffers (which the double GEMMs read in
 * place, where arrays are copied in and out of every call) from one chunk and layer to the next.
 */
public final class SecondOrderChunks {
    /**
     * Internal, not API. One chunk of a layer's R-rules.
     */
    @FunctionalInterface
    public interface Task {
        /**
         * Runs the layer's rules on samples {@code [first, first + samples)}.
         *
         * @param scratch the running worker's scratch arrays
         * @param chunk the chunk's index, from 0 to {@link #count} - 1
         * @param first the chunk's first sample
         * @param samples the chunk's number of samples (the last chunk may be short)
         */
        void run(Scratch scratch, int chunk, int first, int samples);
    }

    /**
     * Internal, not API. A worker's scratch arrays, one per slot, kept while their size stays the same: the double
     * GEMMs copy whole arrays in and out of OpenBLAS, so an array is exactly the size asked for.
     */
    public static final class Scratch {
        private double[][] arrays = new double[0][];
        private java.nio.DoubleBuffer[] buffers = new java.nio.DoubleBuffer[0];

        /**
         * {@return slot {@code slot}'s direct buffer of at least {@code size} doubles (for {@code Blas.dgemm}, which
         * reads it in place), holding whatever the last chunk left in it}
         *
         * @param slot the slot, from 0 (apart from {@link #get}'s)
         * @param size the doubles needed
         */
        public java.nio.DoubleBuffer buffer(int slot, int size) {
            if (slot >= buffers.length) {
                buffers = java.util.Arrays.copyOf(buffers, slot + 1);
            }
            java.nio.DoubleBuffer buffer = buffers[slot];
            if (buffer == null || buffer.capacity() < size) {
                buffer = direct(size);
                buffers[slot] = buffer;
            }
            return buffer;
        }

        /**
         * {@return slot {@code slot}'s array of {@code size} doubles, holding whatever the last chunk left in it}
         *
         * @param slot the slot, from 0
         * @param size the array's length
         */
        public double[] get(int slot, int size) {
            if (slot >= arrays.length) {
                arrays = java.util.Arrays.copyOf(arrays, slot + 1);
            }
            double[] array = arrays[slot];
            if (array == null || array.length != size) {
                array = new double[size];
                arrays[slot] = array;
            }
            return array;
        }
    }

    /**
     * {@return a direct buffer of {@code size} doubles, zeros, in native order: for matrices the workers share}
     *
     * @param size the doubles
     */
    public static java.nio.DoubleBuffer direct(int size) {
        return java.nio.ByteBuffer.allocateDirect(Math.multiplyExact(size, Double.BYTES))
                .order(java.nio.ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    private final NetworkState state;
    private Scratch[] scratch = new Scratch[0];

    /**
     * A dispatcher for one {@code hessianVectorProduct} call.
     *
     * @param state the model whose workers run the chunks
     */
    public SecondOrderChunks(NetworkState state) {
        this.state = state;
    }

    /**
     * {@return the number of chunks of {@code size} samples in a batch of {@code n}}
     *
     * @param n the batch size
     * @param size samples per chunk
     */
    public static int count(int n, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a chunk holds at least one sample, got " + size);
        }
        return (n + size - 1) / size;
    }

    /**
     * Runs {@code task} on every chunk of {@code size} samples of a batch of {@code n}, on the model's workers, and
     * returns when all are done.
     *
     * @param n the batch size
     * @param size samples per chunk
     * @param task the layer's rules on one chunk
     */
    public void run(int n, int size, Task task) {
        int chunks = count(n, size);
        Workers team = state.workers();
        while (!team.runIfOpen(chunks, (worker, total, first, rows) -> {
            Scratch own = scratchOf(worker);
            for (int chunk = first; chunk < first + rows; chunk++) {
                int start = chunk * size;
                task.run(own, chunk, start, Math.min(size, n - start));
            }
        })) {
            // the team was replaced between passes: the chunks run on the new one
            team = state.workers();
        }
    }

    private Scratch scratchOf(Worker worker) {
        Scratch[] own = scratch;
        if (worker.index() < own.length && own[worker.index()] != null) {
            return own[worker.index()];
        }
        synchronized (this) {
            if (scratch.length < worker.count()) {
                scratch = java.util.Arrays.copyOf(scratch, worker.count());
            }
            if (scratch[worker.index()] == null) {
                scratch[worker.index()] = new Scratch();
            }
            return scratch[worker.index()];
        }
    }
}
