package dev.lamina.processor.plan;

/**
 * A tensor a layer kind declares: a trainable parameter, or a running statistic ({@code statistic}) kept in the
 * buffers. {@link MemoryPlanner} gives each its offset, in the order the kind declares them, as a
 * {@link MemoryPlan.TensorSlot} named after the layer's field followed by {@code suffix}.
 *
 * @param suffix  appended to the layer's name: {@code ".weight"}, {@code ".running_mean"}
 * @param kind    what the tensor is to the runtime: WEIGHT, BIAS, SCALE, SHIFT, STATISTIC
 * @param shape   its dimensions, outermost first
 * @param fanIn   the inputs per output its initialisation was scaled for (0 where none was)
 * @param initStd the standard deviation it is drawn with (0: starts at its kind's constant), or with
 *                {@code uniform} the bound of {@code U(-initStd, initStd)}
 * @param role    how emitters ask the plan for it ({@link MemoryPlan#parameter(int, String)})
 */
public record TensorSpec(String suffix, String kind, int[] shape, int fanIn, double initStd, String role,
                         boolean uniform, boolean statistic) {

    /** A parameter that starts at its kind's constant: a scale at 1, a shift or bias at 0. */
    public static TensorSpec constant(String suffix, String kind, int[] shape, String role) {
        return new TensorSpec(suffix, kind, shape, 0, 0, role, false, false);
    }

    /** A Gaussian (or zero) parameter that was not scaled by fan-in. */
    public static TensorSpec gaussian(String suffix, String kind, int[] shape, double std, String role) {
        return new TensorSpec(suffix, kind, shape, 0, std, role, false, false);
    }

    /** A running statistic, kept in the buffers. */
    public static TensorSpec statistic(String suffix, int[] shape, String role) {
        return new TensorSpec(suffix, "STATISTIC", shape, 0, 0, role, false, true);
    }

    public int length() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
