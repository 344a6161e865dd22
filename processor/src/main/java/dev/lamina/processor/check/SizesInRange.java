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
            Limits at = new Limits(d, node, label);
            if (op instanceof Op.Dense x) {
                at.most("units", x.units(), MAX_WIDTH);
            } else if (op instanceof Op.Conv x) {
                at.convolution(x.filters(), x.kernel(), x.stride(), x.padding(), x.dilation());
            } else if (op instanceof Op.Conv1d x) {
                at.convolution(x.filters(), x.kernel(), x.stride(), x.padding(), x.dilation());
            } else if (op instanceof Op.ConvTranspose x) {
                at.convolution(x.filters(), x.kernel(), x.stride(), x.padding(), 1);
            } else if (op instanceof Op.Pool x) {
                at.most("kernel", x.kernel(), MAX_WINDOW);
                at.most("stride", x.stride(), MAX_WINDOW);
            } else if (op instanceof Op.Upsample x) {
                at.most("scale", x.scale(), MAX_WINDOW);
            } else if (op instanceof Op.ResponseNorm x) {
                at.most("size", x.size(), MAX_WINDOW);
            } else if (op instanceof Op.Embedding x) {
                at.most("dim", x.dim(), MAX_WIDTH);
            } else if (op instanceof Op.Recurrent x) {
                at.most("units", x.units(), MAX_WIDTH);
            } else if (op instanceof Op.Residual x) {
                at.most("filters", x.filters(), MAX_WIDTH);
                at.most("stride", x.stride(), MAX_WINDOW);
                at.most("repeat", x.repeat(), MAX_REPEAT);
            }
        });
    }

    /** The checks of one layer's attributes, reported on its node under its label. */
    private record Limits(Diagnostics d, Node node, String label) {
        void most(String attribute, int value, int max) {
            if (value > max) {
                d.error(node, attribute + " of " + label + " must be at most " + max + ", found " + value);
            }
        }

        /** Every convolution's sizes: its filters a width, the rest window attributes. */
        void convolution(int filters, int kernel, int stride, int padding, int dilation) {
            most("filters", filters, MAX_WIDTH);
            most("kernel", kernel, MAX_WINDOW);
            most("stride", stride, MAX_WINDOW);
            most("padding", padding, MAX_WINDOW);
            most("dilation", dilation, MAX_WINDOW);
        }
    }
}
