package dev.lamina.processor.check;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import java.util.List;

/**
 * Visits every op a user wrote attributes for: each declared layer and each layer of a user-defined block, so that
 * an attribute is checked the same way wherever it appears. A block layer's errors go on its {@code @Residual}.
 */
final class LayerAttributes {
    private LayerAttributes() {
    }

    /** One op to check: the node to report on, and the label messages name it by. */
    interface Visitor {
        void visit(Node node, Op op, String label, boolean inBlock);
    }

    static void forEach(Graph graph, Visitor visitor) {
        for (Node node : graph.layers()) {
            visitor.visit(node, node.op(), "'" + node.name() + "' (" + node.op().kind() + ")", false);
            for (Op.BlockLayer layer : blockLayers(OpKinds.of(node.op()))) {
                visitor.visit(node, layer.op(), "block layer '" + layer.name() + "' of '" + node.name() + "' ("
                        + layer.op().kind() + ")", true);
            }
        }
    }

    private static <T extends Op> List<Op.BlockLayer> blockLayers(OpKinds.Bound<T> b) {
        return b.kind().blockLayers(b.op());
    }
}
