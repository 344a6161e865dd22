package dev.lamina.processor.check;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of a graph that shape inference can shape and the shaped rules can judge: without the layers already
 * reported (their attributes could divide by zero or name nothing), nor any layer that reads one of them,
 * directly or through others. What is left is a graph of its own: every layer in it reads only layers in it.
 */
public final class SoundPart {
    private SoundPart() {
    }

    /** {@code graph} without the nodes {@code reported} and those that read them; the input node always stays. */
    public static Graph of(Graph graph, Set<Integer> reported) {
        if (reported.isEmpty()) {
            return graph;
        }
        Set<Integer> dropped = new HashSet<>(reported);
        List<Node> kept = new ArrayList<>();
        kept.add(graph.input());
        for (Node node : graph.layers()) {
            if (dropped.contains(node.id()) || node.inputs().stream().anyMatch(dropped::contains)
                    || node.op() instanceof Op.Upsample up && dropped.contains(up.pool())) {
                dropped.add(node.id());
            } else {
                kept.add(node);
            }
        }
        return graph.withNodes(kept);
    }

    /** {@code graph} without the layers {@code unread}, for the rules that look at each layer on its own. */
    public static Graph without(Graph graph, Set<Integer> unread) {
        if (unread.isEmpty()) {
            return graph;
        }
        List<Node> kept = new ArrayList<>(List.of(graph.input()));
        graph.layers().stream().filter(n -> !unread.contains(n.id())).forEach(kept::add);
        return graph.withNodes(kept);
    }

    /** Whether the output layer of {@code whole} is in {@code part}: the rules on the loss can judge it. */
    public static boolean keepsOutput(Graph part, Graph whole) {
        return !part.layers().isEmpty() && part.output().id() == whole.output().id();
    }
}
