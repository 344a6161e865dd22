package dev.lamina.processor.check;

import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;

/**
 * Every layer can apply to what it receives: convolutions and pooling get images, and their kernels fit the
 * padded input. Reports the first layer whose output shape inference could not compute.
 */
final class LayerFitsInput implements Rule {
    @Override
    public void check(Graph graph, Diagnostics d) {
        for (Node node : graph.layers()) {
            if (node.in() == null) {
                return; // an earlier layer failed and was reported
            }
            if (node.out() != null) {
                continue;
            }
            String name = "'" + node.name() + "' (" + node.op().kind() + ")";
            if (node.op() instanceof Op.Embedding) {
                return; // TokensFeedEmbeddings says why
            }
            if (node.op() instanceof Op.Conv1d c) {
                if (!node.in().sequence()) {
                    d.error(node, name + " convolves along steps and needs a sequence input [steps, features], but"
                            + " its input is " + describe(node.in()));
                } else {
                    d.error(node, "kernel " + c.kernel() + (c.dilation() > 1 ? " (dilated to " + c.effectiveKernel()
                            + ")" : "") + " of " + name + " is longer than its padded input of "
                            + (node.in().steps() + 2 * c.padding()) + " steps (input " + node.in() + ", padding "
                            + c.padding() + ")");
                }
            } else if (node.op() instanceof Op.Upsample up && up.pool() >= 0) {
                Node pool = graph.node(up.pool());
                d.error(node, name + " unpools by '" + pool.name() + "', so its input must have that pool's output "
                        + "shape " + pool.out() + ", but it is " + node.in());
            } else if (node.op() instanceof Op.Concat) {
                StringBuilder parts = new StringBuilder("'" + graph.node(node.input()).name() + "' is " + node.in());
                for (int other : node.others()) {
                    Node part = graph.node(other);
                    parts.append(", '").append(part.name()).append("' is ").append(part.out());
                }
                d.error(node, name + " joins images along channels, or vectors: their heights and widths must "
                        + "match, but " + parts);
            } else if (node.op() instanceof Op.Add) {
                Shape shortcut = graph.node(node.others().get(0)).out();
                d.error(node, "residual block '" + node.name().substring(0, node.name().lastIndexOf('.'))
                        + "' cannot add its shortcut " + shortcut + " to its output " + node.in()
                        + ": the shapes differ and projection = false forbids the 1x1 convolution + batch norm that"
                        + " would match them");
            } else if (node.op() instanceof Op.Recurrent) {
                d.error(node, name + " is recurrent and needs a sequence input [steps, features] (declare "
                        + "@Network(steps = ...) or stack it on a recurrent layer with returnSequences = true), but "
                        + "its input is " + describe(node.in()));
            } else if (!node.in().image()) {
                d.error(node, name + " needs an image input [channels, height, width], but its input is "
                        + describe(node.in()));
            } else if (node.op() instanceof Op.Conv c && node.in().channels() % c.groups() != 0) {
                d.error(node, name + " splits its input channels into " + c.groups() + " groups, but its input "
                        + node.in() + " has " + node.in().channels() + " channels");
            } else if (node.op() instanceof Op.Conv c) {
                int h = node.in().height() + 2 * c.padding();
                int w = node.in().width() + 2 * c.padding();
                String kernel = c.dilation() > 1
                        ? c.kernel() + "x" + c.kernel() + " (dilated to " + c.effectiveKernel() + "x"
                        + c.effectiveKernel() + ")"
                        : c.kernel() + "x" + c.kernel();
                d.error(node, "kernel " + kernel + " of " + name + " is larger than its padded input " + h + "x" + w
                        + " (input " + node.in() + ", padding " + c.padding() + ")");
            } else if (node.op() instanceof Op.Pool p && p.poolKind() != PoolKind.GLOBAL_AVERAGE) {
                d.error(node, "kernel " + p.kernel() + "x" + p.kernel() + " of " + name + " is larger than its input "
                        + node.in().height() + "x" + node.in().width() + " (input " + node.in() + ")");
            } else {
                d.error(node, name + " cannot apply to its input " + node.in());
            }
            return;
        }
    }

    private static String describe(Shape shape) {
        return (shape.sequence() ? "the sequence " : shape.image() ? "the image " : "the vector ") + shape;
    }
}
