package dev.lamina.runtime;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One model's passes, one thread at a time: a pass takes the model's lock without waiting for it (another
 * thread computing with the model is a user's mistake, refused with {@link IllegalStateException} rather than
 * computed on arrays that thread is writing), a whole {@link Model#predict} takes it waiting its turn. It also
 * remembers the last completed forward pass (rows and thread), which a loss or backward pass must follow. A lock
 * per pass costs nothing next to the pass.
 */
final class Passes {
    private final String model;
    private final ReentrantLock lock = new ReentrantLock();
    /** Rows of the last completed forward pass (0: none since the batch room changed), and its thread. */
    private int forwardRows;
    private Thread forwardThread;
    /** A forward pass is in progress: {@link #ran} records it. */
    private boolean inForward;

    Passes(String model) {
        this.model = model;
    }

    /** Holds the model for a pass that needs no forward pass before it; {@link #end} releases it. */
    void begin(String what) {
        if (!lock.tryLock()) {
            throw new IllegalStateException(model + ": " + what + " on thread '" + Thread.currentThread().getName()
                    + "' while another thread computes with the same model. One model runs one pass at a time: "
                    + "train and call forward, loss and backward from one thread at a time; predict may be "
                    + "called from any thread (calls take turns), but not while another thread trains the model");
        }
    }

    /** The pass {@link #begin} started is a forward pass (its rows checked): {@link #ran} records it. */
    void forwardStarted() {
        forwardRows = 0;
        inForward = true;
    }

    /** Holds the model for a {@code pass} (loss, backward) of the last forward pass: same rows, same thread. */
    void beginFollowing(String pass, int n) {
        begin("a " + pass + " pass");
        String problem = null;
        if (forwardRows == 0) {
            problem = "no forward pass preceded it (since the last reserve that grew the batch)";
        } else if (forwardThread != Thread.currentThread()) {
            problem = "the last forward pass ran on thread '" + forwardThread.getName() + "', another thread";
        } else if (n != forwardRows) {
            problem = "the last forward pass was over " + forwardRows + " rows";
        }
        if (problem != null) {
            lock.unlock();
            throw new IllegalStateException(model + ": " + pass + "(" + n + ") on thread '"
                    + Thread.currentThread().getName() + "', but " + problem + ": call forward(" + n
                    + ") first, on the thread that goes on with " + pass);
        }
    }

    /** The workers completed a pass over {@code n} rows: if it is a forward pass, loss and backward may follow. */
    void ran(int n) {
        if (inForward) {
            forwardRows = n;
            forwardThread = Thread.currentThread();
        }
    }

    void end() {
        inForward = false;
        lock.unlock();
    }

    /** Rows of the last completed forward pass; 0 when none, or when the batch room changed since. */
    int forwardRows() {
        return forwardRows;
    }

    /** The batch room changed: no forward pass's rows are there any more. */
    void forgetForward() {
        forwardRows = 0;
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }
}
