package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKinds;

/**
 * The arrays a network needs fit the runtime's memory (direct buffers of at most 2 GiB): every layer's weights,
 * all parameters together, one convolution's unfolded columns, each layer's output for a batch of
 * {@value #MIN_BATCH} rows (offsets are multiplied by the batch at run time), and, after planning
 * ({@link #checkPlan}), the arena. Computed in long arithmetic from the shapes, with the product spelled out in the
 * message; runs on the shaped graph before the other shaped rules, which would otherwise reason about sizes that
 * have wrapped around. Each kind gives its weights' dims and checks its own working arrays ({@code OpKind}).
 */
public final class SizesFitArrays implements Rule {
    /** The most floats the runtime's memory holds: a direct buffer is int-indexed in bytes (2 GiB). */
    public static final long LIMIT = Integer.MAX_VALUE / Float.BYTES;
    /** The smallest batch a network must be able to train on. */
    public static final int MIN_BATCH = 8;
    /** The arena holds each output, its gradient, and masks or statistics beside it: about this many copies. */
    private static final int ARENA_COPIES = 4;
    /** Gradient slots the planner rotates through: each is as wide as the widest output. */
    private static final int GRADIENT_SLOTS = 3;

    @Override
    public void check(Graph graph, Diagnostics d) {
        long parameters = 0;
        long arena = 0;
        int tokens = ((Op.Input) graph.input().op()).tokens();
        Node input = graph.input();
        arena += fitsBatch(d, input, "the input", input.out());
        long widest = arena;
        for (Node node : graph.layers()) {
            String label = "'" + node.name() + "' (" + node.op().kind() + ")";
            if (node.in() == null) {
                continue; // an earlier layer failed: its own input's fault, reported there
            }
            if (node.out() == null) {
                unshapeable(d, node, label);
                continue;
            }
            long out = fitsBatch(d, node, label, node.out());
            arena += ARENA_COPIES * out;
            widest = Math.max(widest, out);
            long[] weights = weightDims(OpKinds.of(node.op()), node.in(), tokens);
            if (weights != null) {
                long count = product(weights);
                if (count > LIMIT) {
                    d.error(node, label + " needs " + spelled(weights) + " = " + count + " weights, more than the "
                            + LIMIT + " floats a buffer holds");
                }
                parameters += count;
            }
            arena += checkWorkspace(OpKinds.of(node.op()), node, label, d);
        }
        if (parameters > LIMIT) {
            d.error("the network has " + parameters + " parameters, more than the " + LIMIT + " floats a buffer holds");
        }
        // the gradient slots, each as wide as the widest layer (or the input)
        arena += GRADIENT_SLOTS * widest;
        // an upper bound of the planned arena: the planner adds in int, and checkPlan checks its exact total
        if (arena > Integer.MAX_VALUE) {
            d.error("the network needs about " + arena + " floats of activations and gradients per sample, more "
                    + "than an int counts: make it smaller");
        }
    }

    /**
     * The planned sizes, a second guard after the estimate above: the arena, index arena and parameters of a batch
     * of {@value #MIN_BATCH} rows fit arrays (the planner adds in int; a negative total has wrapped around).
     */
    public static void checkPlan(int arenaPerSample, int indicesPerSample, int parameters, Diagnostics d) {
        for (long perSample : new long[] {arenaPerSample, indicesPerSample}) {
            if (perSample < 0 || perSample * MIN_BATCH > LIMIT) {
                d.error("the network's planned arena needs " + (perSample < 0 ? "more than " + Integer.MAX_VALUE
                        : perSample) + " values per sample; x " + MIN_BATCH + " rows is more than the " + LIMIT
                        + " a buffer holds: make it smaller");
                return;
            }
        }
        if (parameters < 0) {
            d.error("the network has more than " + Integer.MAX_VALUE + " parameters: make it smaller");
        }
    }

    /** One tensor of {@code shape} for {@link #MIN_BATCH} rows fits an array; returns its floats per sample. */
    private static long fitsBatch(Diagnostics d, Node node, String label, Shape shape) {
        long[] dims = dims(shape);
        long perSample = product(dims);
        if (perSample * MIN_BATCH > LIMIT) {
            String message = label + " holds " + shape + " = " + spelled(dims) + " = " + perSample
                    + " floats per sample; x " + MIN_BATCH + " rows = " + perSample * MIN_BATCH
                    + ", more than the " + LIMIT + " floats a buffer holds";
            if (node.id() == 0) {
                d.error(message);
            } else {
                d.error(node, message);
            }
        }
        return perSample;
    }

    /** A layer whose output shape inference left out because it would not fit an int. */
    private static void unshapeable(Diagnostics d, Node node, String label) {
        Shape in = node.in();
        long[] hw = wideOutput(OpKinds.of(node.op()), in);
        if (hw != null && (hw[0] > Integer.MAX_VALUE || hw[1] > Integer.MAX_VALUE)) {
            d.error(node, label + " would output " + hw[0] + " x " + hw[1] + " from its input " + in
                    + ", more than an int counts");
        }
    }

    private static <T extends Op> long[] weightDims(OpKinds.Bound<T> b, Shape in, int tokens) {
        return b.kind().weightDims(b.op(), in, tokens);
    }

    private static <T extends Op> long checkWorkspace(OpKinds.Bound<T> b, Node node, String label, Diagnostics d) {
        return b.kind().checkWorkspace(b.op(), node, label, d);
    }

    private static <T extends Op> long[] wideOutput(OpKinds.Bound<T> b, Shape in) {
        return b.kind().wideOutput(b.op(), in);
    }

    /** The floats of one sample of {@code shape}, in long arithmetic. */
    public static long floats(Shape shape) {
        return product(dims(shape));
    }

    private static long[] dims(Shape shape) {
        return shape.sequence() ? new long[] {shape.steps(), shape.features()}
                : shape.image() ? new long[] {shape.channels(), shape.height(), shape.width()}
                : new long[] {shape.channels()};
    }

    /** The product, saturating at Long.MAX_VALUE (every factor is at most an int). */
    public static long product(long[] factors) {
        long p = 1;
        for (long f : factors) {
            if (f != 0 && Math.abs(p) > Long.MAX_VALUE / Math.abs(f)) {
                return Long.MAX_VALUE;
            }
            p *= f;
        }
        return p;
    }

    /** The factors as messages spell a product: {@code 4 x 3 x 3}. */
    public static String spelled(long[] factors) {
        StringBuilder s = new StringBuilder();
        for (long f : factors) {
            s.append(s.length() == 0 ? "" : " x ").append(f);
        }
        return s.toString();
    }
}
