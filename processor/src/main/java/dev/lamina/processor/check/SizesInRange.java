package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;

/**
 * Upper bounds on single size attributes, so that shape inference's int arithmetic cannot overflow and the
 * generated code stays of a size javac compiles: a window attribute (kernel, stride, padding, dilation, scale, LRN
 * size) of at most {@value #MAX_WINDOW}, a width (units, filters, dim) of at most {@value #MAX_WIDTH}, a stage of
 * at most {@value #MAX_REPEAT} blocks, and at most {@value #MAX_STEPS} steps (the GPU program unrolls every
 * step). Products of sizes are {@link SizesFitArrays}'s job.
 */
final class SizesInRange implements Rule {
    static final int MAX_WINDOW = 4096;
    static final int MAX_WIDTH = 1 << 24;
    static final int MAX_REPEAT = 1024;
    static final int MAX_STEPS = 65_536;

    @Override
    public void check(Graph graph, Diagnostics d) {
        Shape input = graph.input().out();
        if (input != null && input.steps() > MAX_STEPS) {
            d.error("@Network steps must be at most " + MAX_STEPS + " (the generated GPU program has launches for "
                    + "every step), found " + input.steps() + " steps");
        }
        if (input != null && (input.channels() > MAX_WIDTH || input.height() > MAX_WIDTH
                || input.width() > MAX_WIDTH)) {
            d.error("@Network input sizes must be at most " + MAX_WIDTH + " each, found " + input);
        }
        LayerAttributes.forEach(graph, (node, op, label, inBlock) -> {
            if (op instanceof Op.Dense x) {
                width(d, node, label, "units", x.units());
            } else if (op instanceof Op.Conv x) {
                width(d, node, label, "filters", x.filters());
                window(d, node, label, "kernel", x.kernel());
                window(d, node, label, "stride", x.stride());
                window(d, node, label, "padding", x.padding());
                window(d, node, label, "dilation", x.dilation());
            } else if (op instanceof Op.Conv1d x) {
                width(d, node, label, "filters", x.filters());
                window(d, node, label, "kernel", x.kernel());
                window(d, node, label, "stride", x.stride());
                window(d, node, label, "padding", x.padding());
                window(d, node, label, "dilation", x.dilation());
            } else if (op instanceof Op.ConvTranspose x) {
                width(d, node, label, "filters", x.filters());
                window(d, node, label, "kernel", x.kernel());
                window(d, node, label, "stride", x.stride());
                window(d, node, label, "padding", x.padding());
            } else if (op instanceof Op.Pool x) {
                window(d, node, label, "kernel", x.kernel());
                window(d, node, label, "stride", x.stride());
            } else if (op instanceof Op.Upsample x) {
                window(d, node, label, "scale", x.scale());
            } else if (op instanceof Op.ResponseNorm x) {
                window(d, node, label, "size", x.size());
            } else if (op instanceof Op.Embedding x) {
                width(d, node, label, "dim", x.dim());
            } else if (op instanceof Op.Recurrent x) {
                width(d, node, label, "units", x.units());
            } else if (op instanceof Op.Residual x) {
                width(d, node, label, "filters", x.filters());
                window(d, node, label, "stride", x.stride());
                if (x.repeat() > MAX_REPEAT) {
                    d.error(node, "repeat of " + label + " must be at most " + MAX_REPEAT + ", found " + x.repeat());
                }
            }
        });
    }

    private static void window(Diagnostics d, Node node, String label, String attribute, int value) {
        if (value > MAX_WINDOW) {
            d.error(node, attribute + " of " + label + " must be at most " + MAX_WINDOW + ", found " + value);
        }
    }

    private static void width(Diagnostics d, Node node, String label, String attribute, int value) {
        if (value > MAX_WIDTH) {
            d.error(node, attribute + " of " + label + " must be at most " + MAX_WIDTH + ", found " + value);
        }
    }
}
