package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKinds;

/**
 * Upper bounds on single size attributes, so that shape inference's int arithmetic cannot overflow and the
 * generated code stays of a size javac compiles: a window attribute (kernel, stride, padding, dilation, scale, LRN
 * size) of at most {@value #MAX_WINDOW}, a width (units, filters, dim) of at most {@value #MAX_WIDTH}, a stage of
 * at most {@value #MAX_REPEAT} blocks, and at most {@value #MAX_STEPS} steps (the GPU program unrolls every
 * step). Each kind names its sizes and their bounds ({@code OpKind.sizes}). Products of sizes are
 * {@link SizesFitArrays}'s job.
 */
final class SizesInRange implements Rule {
    static final int MAX_WINDOW = 4096;
    static final int MAX_WIDTH = 1 << 24;
    static final int MAX_REPEAT = 1024;
    static final int MAX_STEPS = 65_536;

    @Override
    public void check(Graph graph, Diagnostics d) {
        Shape input = graph.input().out();
        // on the input node, which reports on @Network: the pipeline then infers no shapes from the input
        if (input != null && input.steps() > MAX_STEPS) {
            d.error(graph.input(), "@Network steps must be at most " + MAX_STEPS + " (the generated GPU program has "
                    + "launches for every step), found " + input.steps() + " steps");
        }
        if (input != null && (input.channels() > MAX_WIDTH || input.height() > MAX_WIDTH
                || input.width() > MAX_WIDTH)) {
            d.error(graph.input(), "@Network input sizes must be at most " + MAX_WIDTH + " each, found " + input);
        }
        LayerAttributes.forEach(graph, (node, op, label, inBlock) -> check(OpKinds.of(op), node, label, inBlock, d));
    }

    private static <T extends Op> void check(OpKinds.Bound<T> b, Node node, String label, boolean inBlock,
                                             Diagnostics d) {
        for (Size size : b.kind().sizes(b.op(), inBlock)) {
            int max = switch (size.most()) {
                case WINDOW -> MAX_WINDOW;
                case WIDTH -> MAX_WIDTH;
                case REPEAT -> MAX_REPEAT;
                case NONE -> Integer.MAX_VALUE;
            };
            if (size.value() > max) {
                d.error(node, size.name() + " of " + label + " must be at most " + max + ", found " + size.value());
            }
        }
    }
}
