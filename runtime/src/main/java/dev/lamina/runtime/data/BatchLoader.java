package dev.lamina.runtime.data;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prepares the training batches of a {@link DataSource}: reads the rows of each batch, in the order given for the
 * epoch, and applies the {@link Augmentation} to each sample with the generator of (seed, epoch, row). With
 * {@code prefetch > 0} the next batches are prepared on {@code workers} background threads while the caller trains
 * on the current one: at most {@code prefetch} batches are in preparation or ready at a time (the queue is bounded,
 * so a slow step does not fill memory), and they are handed out in order. A batch's figures do not depend on the
 * number of threads. An error while preparing a batch (a bad file, a bad cell) is rethrown by {@link #next} as an
 * {@link IllegalStateException} naming the batch, with the error as its cause.
 *
 * <pre>{@code
 * try (BatchLoader loader = new BatchLoader(source, 128, Augmentation.shift(2, 2), 42, 4, 2)) {
 *     loader.startEpoch(1, order, batches);
 *     BatchLoader.Batch b = loader.next(); // b.features(): 128 rows, valid until the next call
 * }
 * }</pre>
 */
public final class BatchLoader implements AutoCloseable {
    private final DataSource source;
    private final int batchSize;
    private final Augmentation augmentation;
    private final long seed;
    private final int prefetch;
    private final ExecutorService workers;
    private final int featureSize;
    private final int targetSize;
    private final int[] shape;
    /** Batches prepared or in preparation, oldest first. */
    private final ArrayDeque<Future<Batch>> pending = new ArrayDeque<>();
    /** Buffers not in use: at most prefetch + 1 exist (the one the caller holds, and those in the queue). */
    private final ArrayDeque<Batch> free = new ArrayDeque<>();
    private Batch held;
    private int epoch;
    private int[] order = new int[0];
    private int batches;
    private int submitted;
    private int handedOut;

    /**
     * One batch: its rows' features and targets, and which rows of the source they are. Valid until the next
     * {@link #next} call, which reuses its arrays.
     */
    public static final class Batch {
        private final float[] features;
        private final float[] targets;
        private final int[] rows;

        Batch(int batchSize, int featureSize, int targetSize) {
            this.features = new float[Math.multiplyExact(batchSize, featureSize)];
            this.targets = new float[Math.multiplyExact(batchSize, targetSize)];
            this.rows = new int[batchSize];
        }

        /** {@return the samples' features, row after row, augmented; the array itself} */
        public float[] features() {
            return features;
        }

        /** {@return the samples' targets, row after row, as the source gave them; the array itself} */
        public float[] targets() {
            return targets;
        }

        /** {@return the rows of the source in this batch, in order; the array itself} */
        public int[] rows() {
            return rows;
        }
    }

    /**
     * A loader of batches of {@code batchSize} rows.
     *
     * @param source where the rows come from
     * @param batchSize rows per batch; at least 1
     * @param augmentation applied to each sample, or null for none
     * @param seed the seed of the augmentation's generators
     * @param workers background threads; at least 1 when {@code prefetch > 0}
     * @param prefetch batches prepared ahead; 0 prepares each batch on the caller's thread when it asks
     */
    public BatchLoader(DataSource source, int batchSize, Augmentation augmentation, long seed, int workers,
            int prefetch) {
        if (batchSize < 1 || prefetch < 0 || (prefetch > 0 && workers < 1)) {
            throw new IllegalArgumentException("expected a batch size >= 1, prefetch >= 0 and, with prefetching, "
                    + "workers >= 1; found batch size " + batchSize + ", prefetch " + prefetch + ", workers "
                    + workers);
        }
        this.source = source;
        this.batchSize = batchSize;
        this.augmentation = augmentation;
        this.seed = seed;
        this.prefetch = prefetch;
        this.featureSize = source.featureSize();
        this.targetSize = source.targetSize();
        this.shape = source.shape();
        this.workers = prefetch == 0 ? null : Executors.newFixedThreadPool(workers, daemons());
    }

    private static ThreadFactory daemons() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "lamina-data-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Starts an epoch: batch {@code b} holds rows {@code order[b * batchSize ..]}; drops what is left of the last
     * epoch and begins preparing the first batches.
     *
     * @param epochNumber the epoch, from 1 (part of each sample's seed)
     * @param rowOrder the epoch's order of the rows; copied
     * @param batchCount the number of batches; {@code batchCount * batchSize <= rowOrder.length}
     */
    public void startEpoch(int epochNumber, int[] rowOrder, int batchCount) {
        if ((long) batchCount * batchSize > rowOrder.length) {
            throw new IllegalArgumentException("expected at most " + rowOrder.length / batchSize + " batches of "
                    + batchSize + " in an order of " + rowOrder.length + " rows, found " + batchCount);
        }
        drain();
        this.epoch = epochNumber;
        this.order = Arrays.copyOf(rowOrder, batchCount * batchSize);
        this.batches = batchCount;
        this.submitted = 0;
        this.handedOut = 0;
        fill();
    }

    /**
     * {@return the epoch's next batch, waiting for it if it is not ready; its arrays are reused by the next call}
     *
     * @throws IllegalStateException when the epoch has no batch left, or preparing this one failed (its cause)
     */
    public Batch next() {
        if (handedOut >= batches) {
            throw new IllegalStateException("epoch " + epoch + " has " + batches + " batches, all handed out");
        }
        if (held != null) {
            free.push(held);
            held = null;
        }
        int b = handedOut++;
        if (workers == null) {
            held = prepare(buffer(), b);
            return held;
        }
        fill();
        Future<Batch> f = pending.poll();
        try {
            held = f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing batch " + (b + 1) + " of " + batches + " in epoch " + epoch
                    + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + (b + 1) + " of epoch " + epoch,
                    e);
        }
        fill();
        return held;
    }

    /** Submits batches until {@code prefetch} are pending or the epoch has none left. */
    private void fill() {
        while (workers != null && pending.size() < prefetch && submitted < batches) {
            int b = submitted++;
            Batch into = buffer();
            pending.add(workers.submit(() -> prepare(into, b)));
        }
    }

    private Batch buffer() {
        Batch b = free.poll();
        return b != null ? b : new Batch(batchSize, featureSize, targetSize);
    }

    /** Reads and augments batch {@code b}'s rows into {@code into}; a function of (source, order, seed, epoch). */
    private Batch prepare(Batch into, int b) {
        for (int r = 0; r < batchSize; r++) {
            int row = order[b * batchSize + r];
            into.rows[r] = row;
            source.read(row, into.features, r * featureSize, into.targets, r * targetSize);
            if (augmentation != null) {
                augmentation.apply(into.features, r * featureSize, shape,
                        Augmentation.generator(seed, epoch, row));
            }
        }
        return into;
    }

    /** Waits for the batches in preparation and keeps their buffers, dropping their contents and errors. */
    private void drain() {
        for (Future<Batch> f; (f = pending.poll()) != null; ) {
            try {
                free.push(f.get());
            } catch (ExecutionException e) {
                // a batch nobody will train on: its error does not matter, its buffer is lost
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops the background threads: batches not started are cancelled, one in preparation finishes unseen (not
     * interrupted: an interrupt would close a source's file channel under it).
     */
    @Override
    public void close() {
        for (Future<Batch> f : pending) {
            f.cancel(false);
        }
        pending.clear();
        if (workers != null) {
            workers.shutdown();
        }
    }
}
