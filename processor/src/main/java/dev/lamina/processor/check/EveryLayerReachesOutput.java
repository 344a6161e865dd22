package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every layer feeds the loss: one that nothing reads (a branch left out of a {@code @Concat}) would be computed
 * for nothing and has no gradient to learn from, so it is an error on that layer, not a silent waste.
 */
final class EveryLayerReachesOutput implements Rule {
    @Override
    public void check(Graph graph, Diagnostics d) {
        List<Node> layers = graph.layers();
        if (layers.isEmpty()) {
            return;
        }
        Set<Integer> reached = new HashSet<>();
        Set<Integer> read = new HashSet<>();
        reached.add(graph.output().id());
        for (int i = layers.size() - 1; i >= 0; i--) {
            Node node = layers.get(i);
            read.addAll(node.inputs());
            if (reached.contains(node.id())) {
                reached.addAll(node.inputs());
            }
        }
        String last = graph.output().name();
        for (Node node : layers) {
            if (!reached.contains(node.id())) {
                d.error(node, "'" + node.name() + "' (" + node.op().kind() + ") is read by "
                        + (read.contains(node.id()) ? "layers that do not reach the output" : "no layer")
                        + ", so it does not reach the output '" + last + "' and would never learn: read it (from = \""
                        + node.name() + "\" or a @Concat part) or remove it");
            }
        }
    }
}
