package dev.lamina.processor.fuse;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides kernel boundaries. Bias and activation always belong to the layer that computes them (one pass after
 * the GEMM when fusing, one pass each when not); here a Dropout directly after a Dense, Conv or BatchNorm is
 * folded into that layer's epilogue, so that its mask is drawn in the same pass. Softmax and cross-entropy are
 * always one pass: that is the loss emitter's job.
 */
public final class Fusion {
    private Fusion() {
    }

    public static Graph fuse(Graph graph) {
        if (!graph.fuse()) {
            return graph;
        }
        List<Node> out = new ArrayList<>();
        for (Node node : graph.nodes()) {
            Node previous = out.isEmpty() ? null : out.get(out.size() - 1);
            if (node.op() instanceof Op.Dropout drop && previous != null && hasEpilogue(previous.op())
                    && !previous.hasFusedDropout()) {
                out.set(out.size() - 1, previous.withFusedDropout(drop.rate(), node.name())
                        .withShapes(previous.in(), node.out()));
                continue;
            }
            out.add(previous == null ? node : node.withInput(previous.id()));
        }
        return graph.withNodes(out);
    }

    static boolean hasEpilogue(Op op) {
        return op instanceof Op.Dense || op instanceof Op.Conv || op instanceof Op.BatchNorm;
    }
}
