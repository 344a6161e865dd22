package dev.lamina.processor.shape;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every node its input and output shape, and inserts the implicit flatten before a layer that reads vectors
 * (a Dense) when it follows an image (a Dense after a sequence applies at every step). Each kind owns its shape
 * rule ({@code OpKind.outputShape}); this pass only walks the graph. It does not judge: where a shape cannot be
 * computed (a kernel larger than its input, a convolution on a vector) the output stays null, and so does
 * everything after it; the check rules report why.
 */
public final class ShapeInference {
    private ShapeInference() {
    }

    /** The shaped graph, its {@code @Residual} stages first expanded into plain layers ({@link ResidualExpansion}). */
    public static Graph infer(Graph graph) {
        return shapes(ResidualExpansion.expand(graph));
    }

    /**
     * Shapes every node of {@code graph} in order; a node reading an unexpanded stage (whose shape is unknown)
     * gets no shape, like everything after a layer that does not fit its input.
     */
    static Graph shapes(Graph graph) {
        List<Node> out = new ArrayList<>();
        Node input = graph.input();
        out.add(input);
        int nextId = graph.nodes().stream().mapToInt(Node::id).max().orElse(0) + 1;
        Map<Integer, Node> shaped = new HashMap<>();
        shaped.put(input.id(), input);
        for (Node node : graph.layers()) {
            Node source = shaped.get(node.input());
            int from = source.id();
            Shape current = source.out();
            if (flattensImages(node.op()) && current != null && current.image()) {
                Node flatten = Node.of(nextId++, node.name() + "_flatten", new Op.Flatten(true), from)
                        .withShapes(current, Shape.vector(current.size())).withOrigin(node.id());
                out.add(flatten);
                shaped.put(flatten.id(), flatten);
                current = flatten.out();
                from = flatten.id();
            }
            List<Shape> others = node.others().stream().map(id -> shaped.get(id).out()).toList();
            Shape result = current == null ? null : outputOf(node.op(), new ShapeInputs(current, others, shaped::get));
            Node done = node.withInput(from).withShapes(current, result);
            out.add(done);
            shaped.put(node.id(), done);
        }
        return graph.withNodes(out);
    }

    /** The output shape of {@code op} reading {@code in} alone, or null where it cannot apply. */
    public static Shape outputOf(Op op, Shape in) {
        return outputOf(op, ShapeInputs.of(in));
    }

    /** The output shape of {@code op} reading {@code inputs}, or null where it cannot apply: its kind's rule. */
    public static Shape outputOf(Op op, ShapeInputs inputs) {
        return outputShape(OpKinds.of(op), inputs);
    }

    private static <T extends Op> Shape outputShape(OpKinds.Bound<T> b, ShapeInputs inputs) {
        return b.kind().outputShape(b.op(), inputs);
    }

    private static boolean flattensImages(Op op) {
        return OpKinds.of(op).kind().flattensImages();
    }

    /** {@code floor((n + 2 padding - kernel) / stride) + 1}, or 0 when the kernel does not fit. */
    public static int convolved(int n, int kernel, int stride, int padding) {
        return ShapeInputs.convolved(n, kernel, stride, padding);
    }
}
