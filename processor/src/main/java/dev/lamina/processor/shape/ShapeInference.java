package dev.lamina.processor.shape;

import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every node its input and output shape, and inserts the implicit flatten before a Dense that follows an
 * image (a Dense after a sequence applies at every step). It does not judge: where a shape cannot be computed (a kernel larger than its input, a convolution on a
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
        // the node that now produces each declared node's output (a residual stage's last add)
        Map<Integer, Node> producer = new HashMap<>();
        producer.put(input.id(), input);
        for (Node node : graph.layers()) {
            Node source = producer.get(node.input());
            int from = source.id();
            Shape current = source.out();
            if (node.op() instanceof Op.Dense && current != null && current.image()) {
                Node flatten = Node.of(nextId++, node.name() + "_flatten", new Op.Flatten(true), from)
                        .withShapes(current, Shape.vector(current.size())).withOrigin(node.id());
                out.add(flatten);
                current = flatten.out();
                from = flatten.id();
            }
            if (node.op() instanceof Op.Residual) {
                List<Node> stage = ResidualExpansion.expand(node, from, current, nextId);
                out.addAll(stage);
                nextId += stage.size();
                producer.put(node.id(), stage.get(stage.size() - 1));
                continue;
            }
            List<Node> parts = new ArrayList<>();
            for (int other : node.others()) {
                parts.add(producer.get(other));
            }
            Shape result;
            if (current == null) {
                result = null;
            } else if (node.op() instanceof Op.Concat) {
                result = joined(current, parts.stream().map(Node::out).toList());
            } else if (node.op() instanceof Op.Upsample up && up.pool() >= 0) {
                // max-unpooling undoes its pool: back to the pool's input shape, from its output shape
                Node pool = producer.get(up.pool());
                result = current.equals(pool.out()) ? pool.in() : null;
            } else {
                result = outputOf(node.op(), current);
            }
            Node shaped = node.withInput(from).withOthers(parts.stream().map(Node::id).toList())
                    .withShapes(current, result);
            out.add(shaped);
            producer.put(node.id(), shaped);
        }
        return graph.withNodes(out);
    }

    /** The concatenation of {@code first} and {@code rest} along channels or features, or null where it cannot be. */
    static Shape joined(Shape first, List<Shape> rest) {
        int channels = first.channels();
        for (Shape s : rest) {
            if (s == null || s.image() != first.image() || s.sequence() || first.sequence()
                    || s.height() != first.height() || s.width() != first.width()) {
                return null;
            }
            channels += s.channels();
        }
        return first.image() ? Shape.image(channels, first.height(), first.width()) : Shape.vector(channels);
    }

    /** The output shape, or null where the op cannot apply to {@code in}. */
    static Shape outputOf(Op op, Shape in) {
        if (op instanceof Op.Dense d) {
            if (in.image()) {
                return null;
            }
            // on a sequence, the same layer at every step
            return in.sequence() ? Shape.sequence(in.steps(), d.units()) : Shape.vector(d.units());
        }
        if (op instanceof Op.Conv1d c) {
            if (!in.sequence()) {
                return null;
            }
            int steps = convolved(in.steps(), c.effectiveKernel(), c.stride(), c.padding());
            return steps < 1 ? null : Shape.sequence(steps, c.filters());
        }
        if (op instanceof Op.Upsample u) {
            long h = (long) in.height() * u.scale();
            long w = (long) in.width() * u.scale();
            return in.image() && fits(h) && fits(w) ? Shape.image(in.channels(), (int) h, (int) w) : null;
        }
        if (op instanceof Op.ConvTranspose t) {
            if (!in.image()) {
                return null;
            }
            long oh = (long) (in.height() - 1) * t.stride() - 2L * t.padding() + t.kernel() + t.outputPadding();
            long ow = (long) (in.width() - 1) * t.stride() - 2L * t.padding() + t.kernel() + t.outputPadding();
            return oh < 1 || ow < 1 || !fits(oh) || !fits(ow) ? null : Shape.image(t.filters(), (int) oh, (int) ow);
        }
        if (op instanceof Op.ResponseNorm) {
            return in.image() ? in : null;
        }
        if (op instanceof Op.Embedding e) {
            return in.sequence() && in.features() == 1 ? Shape.sequence(in.steps(), e.dim()) : null;
        }
        if (op instanceof Op.Recurrent l) {
            if (!in.sequence()) {
                return null;
            }
            return l.sequences() ? Shape.sequence(in.steps(), l.units()) : Shape.vector(l.units());
        }
        if (op instanceof Op.Conv c) {
            if (!in.image() || in.channels() % c.groups() != 0) {
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
            int oh = convolved(in.height(), p.kernel(), p.stride(), p.padding());
            int ow = convolved(in.width(), p.kernel(), p.stride(), p.padding());
            return oh < 1 || ow < 1 ? null : Shape.image(in.channels(), oh, ow);
        }
        if (op instanceof Op.Flatten) {
            return Shape.vector(in.size());
        }
        return in;
    }

    /** Whether a dimension fits an int; SizesFitArrays reports the ones that do not. */
    private static boolean fits(long dimension) {
        return dimension <= Integer.MAX_VALUE;
    }

    /** {@code floor((n + 2 padding - kernel) / stride) + 1}, or 0 when the kernel does not fit. */
    public static int convolved(int n, int kernel, int stride, int padding) {
        int span = n + 2 * padding - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }
}
