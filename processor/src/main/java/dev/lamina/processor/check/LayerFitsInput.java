package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;

/**
 * Every layer can apply to what it receives: convolutions and pooling get images, and their kernels fit the
 * padded input. Reports the first layer whose output shape inference could not compute, in the words of its kind
 * ({@code OpKind.misfit}).
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
            String message = misfit(OpKinds.of(node.op()), node, graph);
            if (message != null) {
                d.error(node, message);
            }
            return;
        }
    }

    private static <T extends Op> String misfit(OpKinds.Bound<T> b, Node node, Graph graph) {
        return b.kind().misfit(b.op(), node, graph, "'" + node.name() + "' (" + node.op().kind() + ")");
    }
}
