package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import java.nio.FloatBuffer;

/**
 * The trainer's check that a batch stayed finite, before its step. The loss is always checked; the gradients are
 * checked with their squared global norm, one pass over them, which a NaN or infinity anywhere makes non-finite.
 * A model whose gradients live on a device is checked on its loss alone (reading the gradients back would cost a
 * transfer per step): a non-finite gradient there makes the parameters non-finite, and the loss of the next batch
 * shows it, one step later.
 */
final class Divergence {
    private Divergence() {
    }

    /** The squared global norm of the host gradients, or 0 for a device-resident model. */
    static double squaredGradientNorm(Model model) {
        if (model instanceof Optimizer.DeviceResident) {
            return 0;
        }
        FloatBuffer g = model.gradients().floats();
        int n = model.parameterCount();
        // four partial sums: the loop then vectorises and stays one read of the gradients
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            // in double: the square of a large finite float must not overflow to infinity
            double a = g.get(i), b = g.get(i + 1), c = g.get(i + 2), d = g.get(i + 3);
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += d * d;
        }
        for (; i < n; i++) {
            double a = g.get(i);
            s0 += a * a;
        }
        return s0 + s1 + s2 + s3;
    }
}
