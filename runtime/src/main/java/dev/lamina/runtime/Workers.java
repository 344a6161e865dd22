package dev.lamina.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads Lamina computes with: a fixed team that runs a generated pass data-parallel, each worker on its own
 * contiguous slice of the batch and calling single-threaded OpenBLAS on it.
 *
 * <p>Why not let OpenBLAS thread each GEMM? The GEMMs of small networks are short and skinny (a convolution has
 * 6 or 16 output columns), so splitting them inside BLAS pays a fork and join per call and leaves every Java pass
 * between the GEMMs (im2col, pooling, the fused epilogues) on one core. Splitting the batch instead runs
 * everything on every core with two synchronisation points per pass, plus {@link Worker#barrier()} where a layer
 * needs the whole batch (batch-norm statistics). OpenBLAS itself is kept at one thread.
 *
 * <p>The slices depend only on the batch size and the worker count, so a run is bitwise reproducible for a fixed
 * thread count.
 *
 * <p>Which team a model computes with: its own when one was given to {@code Model.useWorkers} ({@link #create}),
 * otherwise the process default, {@link #shared()}, whose size comes from the system property
 * {@code lamina.threads} (default: all cores) or {@link #setThreads(int)}. A model takes its team at the start of
 * each pass, so a new default takes effect between passes, never inside one: the team it replaces is closed once
 * its running pass (if any) has ended. Passes from different Java threads on one team take turns.
 */
public final class Workers implements AutoCloseable {
    private static Workers shared;

    /**
     * Internal, not API: called by the code the processor generates (which lives in the user's own module, so it must
     * be public); it may change in any release.
     *
     * <p>Rows {@code [first, first + rows)} of a batch of {@code n}: one worker's slice of a pass.
     */
    @FunctionalInterface
    public interface RowTask {
        /**
         * Computes rows {@code [first, first + rows)} of a batch of {@code n} on {@code worker}.
         *
         * @param worker the worker running the slice
         * @param n the batch size of the pass
         * @param first the slice's first row
         * @param rows the slice's number of rows (possibly 0)
         */
        void run(Worker worker, int n, int first, int rows);
    }

    private final Worker[] workers;
    private final Thread[] helpers;
    private final AtomicInteger finished = new AtomicInteger();
    private final SpinBarrier barrier;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Throwable failure;
    private RowTask task;
    private int rows;
    private Thread caller;

    private Workers(int count) {
        workers = new Worker[count];
        barrier = new SpinBarrier(count);
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(this, i);
        }
        helpers = new Thread[count - 1];
        for (int i = 1; i < count; i++) {
            Worker worker = workers[i];
            Thread t = new Thread(() -> helperLoop(worker), "lamina-worker-" + i);
            t.setDaemon(true);
            helpers[i - 1] = t;
            t.start();
        }
    }

    /**
     * {@return a team of {@code count} threads (the calling thread of each pass counts as one) for the models given it
     * with {@code Model.useWorkers}; {@link #close} it when they are done}
     *
     * @param count the number of threads; at least 1
     */
    public static Workers create(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + count);
        }
        Workers team = new Workers(count);
        Blas.singleThreaded();
        return team;
    }

    /** {@return the process-wide default team, created on first use} */
    public static synchronized Workers shared() {
        if (shared == null) {
            shared = new Workers(Integer.getInteger("lamina.threads", Runtime.getRuntime().availableProcessors()));
            Blas.singleThreaded();
        }
        return shared;
    }

    /**
     * Replaces the default team by one of {@code count} threads (the calling thread counts as one). Safe while
     * other threads train: their next pass takes the new team, a pass in progress ends on the old one.
     *
     * @param count the number of threads; at least 1
     */
    public static void setThreads(int count) {
        Workers old;
        synchronized (Workers.class) {
            if (shared != null && shared.count() == count) {
                return;
            }
            Workers replacement = create(count);
            old = shared;
            shared = replacement;
        }
        // outside the class lock: closing waits for the old team's pass, which may itself ask for threads()
        if (old != null) {
            old.close();
        }
    }

    /** {@return number of workers in the shared team that models compute with} */
    public static synchronized int threads() {
        return shared().count();
    }

    /** {@return number of workers in this team, the calling thread included} */
    public int count() {
        return workers.length;
    }

    /**
     * Runs {@code task} on every worker, worker {@code i} on the i-th of {@link #count()} contiguous slices of
     * {@code [0, rows)} (possibly empty: every worker takes part, so that barriers line up), and returns when all
     * are done. The calling thread is worker 0. A failure on any worker is rethrown here.
     *
     * @param rows the batch size, split among the workers
     * @param task what each worker runs on its slice
     */
    public void run(int rows, RowTask task) {
        if (!runIfOpen(rows, task)) {
            throw new IllegalStateException("this worker team was closed (or replaced by Workers.setThreads)");
        }
    }

    /** {@link #run}, or false without running anything when this team was closed. */
    synchronized boolean runIfOpen(int rows, RowTask task) {
        if (closed) {
            return false;
        }
        if (workers.length == 1) {
            task.run(workers[0], rows, 0, rows);
            return true;
        }
        this.task = task;
        this.rows = rows;
        this.caller = Thread.currentThread();
        failure = null;
        finished.set(0);
        generation++;
        for (Thread helper : helpers) {
            LockSupport.unpark(helper);
        }
        try {
            runSlice(workers[0]);
        } catch (RuntimeException | Error e) {
            barrier.breakBarrier();
            awaitHelpers();
            barrier.reset();
            throw e;
        }
        awaitHelpers();
        this.task = null;
        Throwable f = failure;
        if (f != null) {
            barrier.reset();
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(f);
        }
        return true;
    }

    private void runSlice(Worker worker) {
        int i = worker.index();
        int first = (int) ((long) rows * i / workers.length);
        int last = (int) ((long) rows * (i + 1) / workers.length);
        task.run(worker, rows, first, last - first);
    }

    private void awaitHelpers() {
        int spins = 0;
        while (finished.get() < helpers.length) {
            if (++spins < 1 << 16) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 10_000);
            }
        }
    }

    private void helperLoop(Worker worker) {
        int seen = 0;
        while (!closed) {
            int spins = 0;
            while (generation == seen && !closed) {
                // spin briefly: the next pass usually follows within microseconds
                if (++spins < 1 << 14) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                runSlice(worker);
            } catch (Throwable t) {
                failure = t;
                barrier.breakBarrier();
            }
            finished.incrementAndGet();
            LockSupport.unpark(caller);
        }
    }

    /**
     * Stops this team's threads once the pass in progress (if any) has ended: the monitor is the one {@link #run}
     * holds for a pass. Models still given this team refuse their next pass.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Thread helper : helpers) {
            LockSupport.unpark(helper);
        }
    }

    /** {@return whether {@link #close} has run; a closed team runs no more passes} */
    public boolean isClosed() {
        return closed;
    }

    SpinBarrier barrier() {
        return barrier;
    }

    Worker worker(int index) {
        return workers[index];
    }

    /** A sense-reversing barrier that spins (the workers are few and the waits short), then yields. */
    static final class SpinBarrier {
        private final int parties;
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile boolean sense;
        private volatile boolean broken;

        SpinBarrier(int parties) {
            this.parties = parties;
        }

        void await() {
            boolean mySense = !sense;
            if (waiting.incrementAndGet() == parties) {
                waiting.set(0);
                sense = mySense;
                return;
            }
            int spins = 0;
            while (sense != mySense) {
                if (broken) {
                    throw new IllegalStateException("another worker failed; abandoning this pass");
                }
                if (++spins < 1 << 12) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        void breakBarrier() {
            broken = true;
        }

        void reset() {
            waiting.set(0);
            broken = false;
        }
    }
}
