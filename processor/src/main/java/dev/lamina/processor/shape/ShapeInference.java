package dev.lamina.processor.shape;

import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives every node its input and output shape, and inserts the implicit flatten before a Dense that follows an
 * image or a sequence. It does not judge: where a shape cannot be computed (a kernel larger than its input, a convolution on a
 * vector) the output stays null, and so does everything after it; the check rules report why.
 */
public final class ShapeInference {
    private ShapeInference() {
    }

    public static Graph infer(Graph graph) {
        List<Node> out = new ArrayList<>();
        Node input = graph.input();
        out.add(input);
        int nextId = graph.nodes().stream().mapToInt(Node::id).max().orElse(0) + 1;
        Shape current = input.out();
        for (Node node : graph.layers()) {
            int from = out.get(out.size() - 1).id();
            if (node.op() instanceof Op.Dense && current != null && (current.image() || current.sequence())) {
                Node flatten = Node.of(nextId++, node.name() + "_flatten", new Op.Flatten(true), from)
                        .withShapes(current, Shape.vector(current.size()));
                out.add(flatten);
                current = flatten.out();
                from = flatten.id();
            }
            if (node.op() instanceof Op.Residual) {
                List<Node> stage = ResidualExpansion.expand(node, from, current, nextId);
                out.addAll(stage);
                nextId += stage.size();
                current = stage.get(stage.size() - 1).out();
                continue;
            }
            Shape result = current == null ? null : outputOf(node.op(), current);
            out.add(node.withInput(from).withShapes(current, result));
            current = result;
        }
        return graph.withNodes(out);
    }

    /** The output shape, or null where the op cannot apply to {@code in}. */
    static Shape outputOf(Op op, Shape in) {
        if (op instanceof Op.Dense d) {
            return in.image() || in.sequence() ? null : Shape.vector(d.units());
        }
        if (op instanceof Op.Recurrent l) {
            if (!in.sequence()) {
                return null;
            }
            return l.sequences() ? Shape.sequence(in.steps(), l.units()) : Shape.vector(l.units());
        }
        if (op instanceof Op.Conv c) {
            if (!in.image()) {
                return null;
            }
            int oh = convolved(in.height(), c.effectiveKernel(), c.stride(), c.padding());
            int ow = convolved(in.width(), c.effectiveKernel(), c.stride(), c.padding());
            return oh < 1 || ow < 1 ? null : Shape.image(c.filters(), oh, ow);
        }
        if (op instanceof Op.Pool p) {
            if (!in.image()) {
                return null;
            }
            if (p.poolKind() == PoolKind.GLOBAL_AVERAGE) {
                return Shape.image(in.channels(), 1, 1);
            }
            int oh = convolved(in.height(), p.kernel(), p.stride(), 0);
            int ow = convolved(in.width(), p.kernel(), p.stride(), 0);
            return oh < 1 || ow < 1 ? null : Shape.image(in.channels(), oh, ow);
        }
        if (op instanceof Op.Flatten) {
            return Shape.vector(in.size());
        }
        return in;
    }

    /** {@code floor((n + 2 padding - kernel) / stride) + 1}, or 0 when the kernel does not fit. */
    public static int convolved(int n, int kernel, int stride, int padding) {
        int span = n + 2 * padding - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }
}
