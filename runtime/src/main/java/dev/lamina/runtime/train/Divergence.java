package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Worker;
import dev.lamina.runtime.Workers;
import java.nio.FloatBuffer;

/**
 * The trainer's check that a batch's gradients stayed finite, before its step: one read of the gradients, split
 * over the model's workers as the optimizer's update is, each slice copied a block at a time to the worker's heap
 * block and scanned there. (A single-threaded pass of element reads from the direct buffer cost the bench's MLP,
 * 235k parameters and a 0.5 s epoch, about 15% of its training speed.) A model whose gradients live on a device is
 * not scanned (reading them back would cost a transfer per step): a non-finite gradient there makes the parameters
 * non-finite, and the loss of the next batch shows it, one step later. The trainer checks every batch's loss.
 */
final class Divergence {
    private final Model model;
    private final Workers.RowTask scan = this::scan;
    /** Set by any worker that finds a non-finite gradient (only ever set to true during a pass). */
    private volatile boolean found;

    Divergence(Model model) {
        this.model = model;
    }

    /** Whether every gradient of the model is finite (true for a device-resident model, see above). */
    boolean gradientsFinite() {
        if (model instanceof Optimizer.DeviceResident) {
            return true;
        }
        found = false;
        model.state().parallel(model.parameterCount(), scan);
        return !found;
    }

    private void scan(Worker worker, int size, int from, int count) {
        float[] block = worker.block(0);
        FloatBuffer g = model.gradients().floats();
        for (int at = from, end = from + count; at < end; at += Worker.BLOCK) {
            int n = Math.min(Worker.BLOCK, end - at);
            g.get(at, block, 0, n);
            if (!finite(block, n)) {
                found = true;
                return;
            }
        }
    }

    /**
     * {@code x * 0} is 0 for every finite x and NaN for NaN and the infinities, so the sum is 0 exactly when all
     * are finite; four sums, so that the additions need not wait for each other.
     */
    static boolean finite(float[] v, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += v[i] * 0f;
            s1 += v[i + 1] * 0f;
            s2 += v[i + 2] * 0f;
            s3 += v[i + 3] * 0f;
        }
        for (; i < n; i++) {
            s0 += v[i] * 0f;
        }
        return s0 + s1 + s2 + s3 == 0f;
    }
}
