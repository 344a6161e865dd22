package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import java.nio.FloatBuffer;

/** Clipping by global norm: if {@code ||g|| > max}, scale every gradient by {@code max / ||g||}. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * Clips in place and returns the norm before clipping.
     *
     * @param model the model whose gradients are clipped
     * @param maxNorm the largest global norm allowed
     * @return the global norm before clipping
     */
    public static double clipByGlobalNorm(Model model, double maxNorm) {
        if (model instanceof Optimizer.DeviceResident device) {
            return device.clipByGlobalNorm(maxNorm);
        }
        FloatBuffer g = model.gradients().floats();
        int n = model.parameterCount();
        double norm = globalNorm(model);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / norm);
            for (int i = 0; i < n; i++) {
                g.put(i, g.get(i) * scale);
            }
        }
        return norm;
    }

    /** The global norm of a host model's gradients, summed in double. */
    static double globalNorm(Model model) {
        FloatBuffer g = model.gradients().floats();
        double sum = 0;
        for (int i = 0, n = model.parameterCount(); i < n; i++) {
            double v = g.get(i);
            sum += v * v;
        }
        return Math.sqrt(sum);
    }
}
