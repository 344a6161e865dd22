package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;

/**
 * The arrays a network needs fit the runtime's memory (direct buffers of at most 2 GiB): every layer's weights,
 * all parameters together, one convolution's unfolded columns, each layer's output for a batch of
 * {@value #MIN_BATCH} rows (offsets are multiplied by the batch at run time), and, after planning
 * ({@link #checkPlan}), the arena. Computed in long arithmetic from the shapes, with the product spelled out in the
 * message; runs on the shaped graph before the other shaped rules, which would otherwise reason about sizes that
 * have wrapped around.
 */
public final class SizesFitArrays implements Rule {
    /** The most floats the runtime's memory holds: a direct buffer is int-indexed in bytes (2 GiB). */
    static final long LIMIT = Integer.MAX_VALUE / Float.BYTES;
    /** The smallest batch a network must be able to train on. */
    static final int MIN_BATCH = 8;
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
                return; // an earlier layer failed
            }
            if (node.out() == null) {
                unshapeable(d, node, label);
                return;
            }
            long out = fitsBatch(d, node, label, node.out());
            arena += ARENA_COPIES * out;
            widest = Math.max(widest, out);
            long[] weights = weights(node, tokens);
            if (weights != null) {
                long count = product(weights);
                if (count > LIMIT) {
                    d.error(node, label + " needs " + spelled(weights) + " = " + count + " weights, more than the "
                            + LIMIT + " floats a buffer holds");
                }
                parameters += count;
            }
            if (node.op() instanceof Op.Conv c) {
                long[] columns = {node.out().height(), node.out().width(), c.kernel(), c.kernel(),
                        node.in().channels() / Math.max(c.groups(), 1)};
                if (product(columns) > LIMIT) {
                    d.error(node, label + " unfolds its input into " + spelled(columns) + " = " + product(columns)
                            + " columns per sample (output height x width x kernel x kernel x channels), more than "
                            + "the " + LIMIT + " floats a buffer holds");
                }
            }
            if (node.op() instanceof Op.Recurrent r) {
                long[] gates = {node.in().steps(), r.gates(), r.units(), 2, MIN_BATCH};
                if (product(gates) > LIMIT) {
                    d.error(node, label + " keeps its gates and their gradients for every step: " + node.in().steps()
                            + " steps x " + r.gates() + " gates x " + r.units() + " units x 2 x " + MIN_BATCH
                            + " rows = " + product(gates) + " floats, more than the " + LIMIT + " a buffer holds");
                }
                arena += product(gates) / MIN_BATCH;
            }
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
        long h = -1;
        long w = -1;
        if (node.op() instanceof Op.Upsample u && u.pool() < 0 && in.image()) {
            h = (long) in.height() * u.scale();
            w = (long) in.width() * u.scale();
        } else if (node.op() instanceof Op.ConvTranspose t && in.image()) {
            h = (long) (in.height() - 1) * t.stride() - 2L * t.padding() + t.kernel() + t.outputPadding();
            w = (long) (in.width() - 1) * t.stride() - 2L * t.padding() + t.kernel() + t.outputPadding();
        }
        if (h > Integer.MAX_VALUE || w > Integer.MAX_VALUE) {
            d.error(node, label + " would output " + h + " x " + w + " from its input " + in
                    + ", more than an int counts");
        }
    }

    /** The weight tensor's dims, or null for a layer without weights. */
    private static long[] weights(Node node, int tokens) {
        Shape in = node.in();
        if (node.op() instanceof Op.Dense x) {
            return new long[] {x.units(), in.sequence() ? in.features() : product(dims(in))};
        }
        if (node.op() instanceof Op.Conv x) {
            return new long[] {x.filters(), x.kernel(), x.kernel(), in.channels() / Math.max(x.groups(), 1)};
        }
        if (node.op() instanceof Op.Conv1d x) {
            return new long[] {x.filters(), x.kernel(), in.features()};
        }
        if (node.op() instanceof Op.ConvTranspose x) {
            return new long[] {in.channels(), x.kernel(), x.kernel(), x.filters()};
        }
        if (node.op() instanceof Op.Recurrent x) {
            return new long[] {x.gates(), x.units(), (long) in.features() + x.units()};
        }
        if (node.op() instanceof Op.Embedding x) {
            return new long[] {Math.max(tokens, 1), x.dim()};
        }
        return null;
    }

    private static long[] dims(Shape shape) {
        return shape.sequence() ? new long[] {shape.steps(), shape.features()}
                : shape.image() ? new long[] {shape.channels(), shape.height(), shape.width()}
                : new long[] {shape.channels()};
    }

    /** The product, saturating at Long.MAX_VALUE (every factor is at most an int). */
    private static long product(long[] factors) {
        long p = 1;
        for (long f : factors) {
            if (f != 0 && Math.abs(p) > Long.MAX_VALUE / Math.abs(f)) {
                return Long.MAX_VALUE;
            }
            p *= f;
        }
        return p;
    }

    private static String spelled(long[] factors) {
        StringBuilder s = new StringBuilder();
        for (long f : factors) {
            s.append(s.length() == 0 ? "" : " x ").append(f);
        }
        return s.toString();
    }
}
