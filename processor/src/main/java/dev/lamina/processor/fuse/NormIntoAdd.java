package dev.lamina.processor.fuse;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds a batch norm into the residual add that reads it: the add then reads the norm's input and computes
 * {@code f(scale x + shift + s)} in its one pass, so the norm's output is never written nor read again, two passes
 * over the tensor fewer (the norm's backward pass reads its input, not its output). Recorded on the norm as
 * {@link Node#appliedBy()}; the norm still computes its statistics (its scale and shift) before the add runs.
 *
 * <p>A norm qualifies when it has no activation and no fused dropout of its own (they would have to run between
 * the transform and the sum), its only reader is an add, and one row's channels fit a worker's heap block (the
 * Java add tiles the per-channel transform over a block of whole rows).
 */
public final class NormIntoAdd {
    /** {@code Worker.BLOCK}, in floats (the processor does not depend on the runtime). */
    static final int WORKER_BLOCK = 4096;

    private NormIntoAdd() {
    }

    /**
     * {@code graph} with every qualifying batch norm marked as applied by its add; unchanged in a network that asks
     * for the R-passes, whose batch-norm rules read the norm's output.
     */
    public static Graph rewrite(Graph graph) {
        if (graph.secondOrder()) {
            return graph;
        }
        List<Node> out = new ArrayList<>();
        for (Node node : graph.nodes()) {
            Node add = addApplying(graph, node);
            out.add(add == null ? node : node.withAppliedBy(add.id()));
        }
        return graph.withNodes(out);
    }

    private static Node addApplying(Graph graph, Node node) {
        // this pass's subject is one pair of kinds, a batch norm and the add that applies it (AddJava, AddCuda)
        if (!(node.op() instanceof Op.BatchNorm bn) || !bn.activation().isIdentity() || node.hasFusedDropout()
                || node.out().channels() > WORKER_BLOCK) {
            return null;
        }
        List<Node> readers = graph.layers().stream()
                .filter(r -> r.input() == node.id() || r.others().contains(node.id())).toList();
        return readers.size() == 1 && readers.get(0).op() instanceof Op.Add ? readers.get(0) : null;
    }
}
