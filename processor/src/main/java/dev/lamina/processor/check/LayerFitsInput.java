package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;

/**
 * Every layer can apply to what it receives: convolutions and pooling get images, and their kernels fit the
 * padded input. Reports each layer whose output shape inference could not compute although every input it reads
 * has a shape, in the words of its kind ({@code OpKind.misfit}); the layers after one have no shapes, and say
 * nothing (independent branches each report their own).
 */
final class LayerFitsInput implements Rule {
    @Override
    public void check(Graph graph, Diagnostics d) {
        for (Node node : graph.layers()) {
            if (node.out() != null || !inputsKnown(graph, node)) {
                continue; // fits, or reads a layer that did not: that one is reported
            }
            String message = misfit(OpKinds.of(node.op()), node, graph);
            if (message != null) {
                d.error(node, message);
            }
        }
    }

    /** Whether every input of {@code node} (its main one and a concatenation's or an add's others) has a shape. */
    private static boolean inputsKnown(Graph graph, Node node) {
        return node.in() != null && node.others().stream().allMatch(id -> graph.node(id).out() != null);
    }

    private static <T extends Op> String misfit(OpKinds.Bound<T> b, Node node, Graph graph) {
        return b.kind().misfit(b.op(), node, graph, "'" + node.name() + "' (" + node.op().kind() + ")");
    }
}
