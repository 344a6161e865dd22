package dev.lamina.runtime;

/**
 * Internal, not API: called by the code the processor generates (which lives in the user's own module, so it must be
 * public); it may change in any release.
 *
 * <p>How a generated {@code hessianVectorProduct} spreads a layer's R-rules over the model's workers: the batch is
 * cut into chunks of a fixed number of samples that depends only on the layer, and each worker runs a contiguous
 * run of chunks. A chunk writes only its own samples' rows, and what it sums over samples (a layer's terms of
 * {@code H v}) it leaves in a part of its own, which the caller adds up in chunk order: the product does not depend
 * on the thread count. Each thread keeps its scratch arrays, direct buffers and float blocks (which the GEMMs read
 * in place, where arrays are copied in and out of every call) from one chunk, layer and call to the next; the
 * calling thread also keeps the arrays between layers ({@link #zeros}) and the chunks' parts ({@link #parts}), which
 * would otherwise be tens of megabytes allocated per product. A chunk gets its {@link Worker} too, for the runtime's
 * convolution kernels, which keep their columns in it.
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
         * @param worker the running worker (for the runtime's kernels, which keep their own scratch in it)
         * @param chunk the chunk's index, from 0 to {@link #count} - 1
         * @param first the chunk's first sample
         * @param samples the chunk's number of samples (the last chunk may be short)
         */
        void run(Scratch scratch, Worker worker, int chunk, int first, int samples);
    }

    /**
     * Internal, not API. A thread's scratch arrays and direct buffers, one per slot, grown when a chunk needs more.
     */
    public static final class Scratch {
        private final Slots<double[]> arrays = new Slots<>(double[]::new, a -> a.length);
        private final Slots<float[]> floatArrays = new Slots<>(float[]::new, a -> a.length);
        private final Slots<java.nio.DoubleBuffer> buffers = new Slots<>(SecondOrderChunks::direct,
                java.nio.DoubleBuffer::capacity);
        private final Slots<java.nio.DoubleBuffer> sharedBuffers = new Slots<>(SecondOrderChunks::direct,
                java.nio.DoubleBuffer::capacity);
        private final Slots<Memory> memories = new Slots<>(Memory::allocate, Memory::size);
        private final Slots<Memory> sharedMemories = new Slots<>(Memory::allocate, Memory::size);
        private final Slots<double[]> zeros = new Slots<>(double[]::new, a -> a.length);
        private final Slots<double[]> parts = new Slots<>(double[]::new, a -> a.length);

        private Scratch() {
        }

        /**
         * {@return slot {@code slot}'s direct buffer of at least {@code size} doubles (for {@code Blas.dgemm}, which
         * reads it in place), holding whatever the last chunk left in it}
         *
         * @param slot the slot, from 0 (apart from {@link #get}'s)
         * @param size the doubles needed
         */
        public java.nio.DoubleBuffer buffer(int slot, int size) {
            return buffers.get(slot, size);
        }

        /**
         * {@return slot {@code slot}'s block of at least {@code size} floats (for {@code Blas.gemm}), holding
         * whatever the last chunk left in it}: {@link #buffer}'s twin for products in float
         *
         * @param slot the slot, from 0
         * @param size the floats needed
         */
        public Memory memory(int slot, int size) {
            return memories.get(slot, size);
        }

        /**
         * {@return slot {@code slot}'s array of at least {@code size} floats, holding whatever the last chunk left
         * in it}: {@link #get}'s twin for products in float
         *
         * @param slot the slot, from 0
         * @param size the floats needed
         */
        public float[] floats(int slot, int size) {
            return floatArrays.get(slot, size);
        }

        /**
         * {@return slot {@code slot}'s array of at least {@code size} doubles, holding whatever the last chunk left in
         * it}
         *
         * @param slot the slot, from 0
         * @param size the doubles needed
         */
        public double[] get(int slot, int size) {
            return arrays.get(slot, size);
        }
    }

    /** Things of one kind in numbered slots, each replaced by a bigger one when a caller needs more than it holds. */
    private static final class Slots<T> {
        private final java.util.function.IntFunction<T> make;
        private final java.util.function.ToIntFunction<T> capacity;
        private Object[] held = new Object[0];

        Slots(java.util.function.IntFunction<T> make, java.util.function.ToIntFunction<T> capacity) {
            this.make = make;
            this.capacity = capacity;
        }

        @SuppressWarnings("unchecked")
        T get(int slot, int size) {
            if (slot >= held.length) {
                held = java.util.Arrays.copyOf(held, slot + 1);
            }
            T thing = (T) held[slot];
            if (thing == null || capacity.applyAsInt(thing) < size) {
                thing = make.apply(size);
                held[slot] = thing;
            }
            return thing;
        }
    }

    /**
     * Each thread's scratch, kept from one call to the next: direct buffers are slow to allocate and freed only by a
     * garbage collection, so a call allocating its own would soon make the JVM collect to free them.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static java.nio.DoubleBuffer direct(int size) {
        return java.nio.ByteBuffer.allocateDirect(Math.multiplyExact(size, Double.BYTES))
                .order(java.nio.ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    private final NetworkState state;

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
        if (chunks == 1) {
            // nothing to share out: waking the workers would cost more than the chunk (a small network's batch)
            task.run(SCRATCH.get(), state.workers().worker(0), 0, 0, n);
            return;
        }
        Workers team = state.workers();
        while (!team.runIfOpen(chunks, (worker, total, first, rows) -> {
            Scratch own = SCRATCH.get();
            for (int chunk = first; chunk < first + rows; chunk++) {
                int start = chunk * size;
                task.run(own, worker, chunk, start, Math.min(size, n - start));
            }
        })) {
            // the team was replaced between passes: the chunks run on the new one
            team = state.workers();
        }
    }

    /**
     * {@return a direct buffer of at least {@code size} doubles of the calling thread's, for a matrix the workers
     * read (the weights in double), holding whatever it held last; the thread keeps it for its next call}
     *
     * @param slot the slot: one per matrix that must outlive the others in a call (a layer's, for both passes)
     * @param size the doubles needed
     */
    public java.nio.DoubleBuffer shared(int slot, int size) {
        return SCRATCH.get().sharedBuffers.get(slot, size);
    }

    /**
     * {@return a block of at least {@code size} floats of the calling thread's, for a matrix the workers read (the
     * weights and the direction in float), holding whatever it held last}: {@link #shared}'s twin for products in
     * float
     *
     * @param slot the slot: one per matrix that must outlive the others in a call
     * @param size the floats needed
     */
    public Memory sharedMemory(int slot, int size) {
        return SCRATCH.get().sharedMemories.get(slot, size);
    }

    /**
     * {@return the calling thread's block of {@code v.length} floats in slot 0 of {@link #sharedMemory}, holding
     * {@code v} rounded to float}: the direction, laid out as the parameters are, for products in float
     *
     * @param v the direction in double
     */
    public Memory direction(double[] v) {
        Memory direction = sharedMemory(0, v.length);
        float[] rounded = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            rounded[i] = (float) v[i];
        }
        direction.floats().put(0, rounded, 0, v.length);
        return direction;
    }

    /**
     * {@return the calling thread's array of at least {@code size} doubles in slot {@code slot}, its first {@code size}
     * set to zero}: the R-passes' arrays between layers, kept from one call to the next, since a product allocating
     * them anew (tens of megabytes on a batch of 1,000) would make the JVM collect every few products
     *
     * @param slot the slot: one per array that must outlive the others in a call
     * @param size the doubles needed
     */
    public double[] zeros(int slot, int size) {
        double[] array = SCRATCH.get().zeros.get(slot, size);
        java.util.Arrays.fill(array, 0, size, 0.0);
        return array;
    }

    /**
     * {@return {@code count} arrays of at least {@code size} doubles, the calling thread's, kept from one layer and
     * call to the next, contents undefined}: the chunks' parts of a layer's terms of {@code H v}, which each chunk
     * fills (zeroing what it adds into) and the caller adds up in chunk order
     *
     * @param count the chunks
     * @param size the doubles of one part
     */
    public double[][] parts(int count, int size) {
        Slots<double[]> parts = SCRATCH.get().parts;
        double[][] chunks = new double[count][];
        for (int i = 0; i < count; i++) {
            chunks[i] = parts.get(i, size);
        }
        return chunks;
    }
}
