package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.ops.OpKinds;

/**
 * A network that asks for the R-passes ({@code @Network(secondOrder = true)}) holds only layers whose kind has
 * R-rules: any other layer is an error on its annotation, since its Hessian-vector product would be wrong or
 * missing. Runs on the graph as read, one message per declared layer.
 */
final class SecondOrderCovered implements Rule {
    @Override
    public void check(Graph graph, Diagnostics d) {
        if (!graph.secondOrder()) {
            return;
        }
        for (Node node : graph.layers()) {
            if (OpKinds.of(node.op()).kind().secondOrder() == null) {
                d.error(node, "'" + node.name() + "' (" + node.op().kind() + ") has no R-pass yet, so "
                        + "@Network(secondOrder = true) cannot give exact Hessian-vector products through it; "
                        + "the R-pass exists for " + String.join(", ", OpKinds.withSecondOrder()) + " so far (issue 18): remove "
                        + "secondOrder = true and use FiniteDifferenceHvp, or leave the layer out");
            }
        }
    }
}
