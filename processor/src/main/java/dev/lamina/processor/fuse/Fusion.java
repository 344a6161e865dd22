package dev.lamina.processor.fuse;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Decides kernel boundaries. Bias and activation always belong to the layer that computes them (one pass after
 * the GEMM when fusing, one pass each when not). Here two more things are folded into the layer before them:
 * <ul>
 *   <li>a max pool directly after a convolution, which then pools its raw sums and applies bias and activation
 *       to the pooled values only (they are non-decreasing per channel, so they commute with the max); the
 *       backward pass needs the activation's derivative only at the window winners, whose outputs the pool
 *       kept;</li>
 *   <li>a Dropout directly after a Dense, Conv (pooled or not) or BatchNorm, so that its mask is drawn in the
 *       epilogue's pass (not in a network that asks for the R-passes, whose rules read a layer's outputs
 *       before the mask).</li>
 * </ul>
 * Which kinds take part is theirs to say ({@code OpKind.absorbsMaxPool}, {@code isFusableMaxPool},
 * {@code absorbsDropout}, {@code foldableDropout}); this pass decides where the rewrites apply.
 * Softmax and cross-entropy are always one pass: that is the loss emitter's job.
 */
public final class Fusion {
    private Fusion() {
    }

    public static Graph fuse(Graph graph) {
        if (!graph.fuse()) {
            return graph;
        }
        Map<Integer, Integer> consumers = new HashMap<>();
        for (Node node : graph.layers()) {
            for (int input : node.inputs()) {
                consumers.merge(input, 1, Integer::sum);
            }
        }
        // a folded node's id now means the node it was folded into
        Map<Integer, Integer> folded = new HashMap<>();
        List<Node> out = new ArrayList<>();
        for (Node original : graph.nodes()) {
            Node node = original.withInput(folded.getOrDefault(original.input(), original.input()))
                    .withOthers(original.others().stream().map(i -> folded.getOrDefault(i, i)).toList());
            Node previous = out.isEmpty() ? null : out.get(out.size() - 1);
            // only a layer's sole reader can be folded into it
            boolean soleReader = previous != null && node.input() == previous.id() && node.others().isEmpty()
                    && consumers.getOrDefault(original.input(), 0) == 1;
            if (soleReader && poolsAfter(previous, node)) {
                out.set(out.size() - 1, previous.withFusedPool(node));
                folded.put(original.id(), previous.id());
                continue;
            }
            // the R-passes need a layer's outputs before its dropout's mask: there, a dropout stays a step of its own
            boolean foldsDropout = soleReader && !graph.secondOrder();
            OptionalDouble dropout = foldsDropout ? foldableDropout(OpKinds.of(node.op())) : OptionalDouble.empty();
            if (dropout.isPresent() && absorbsDropout(OpKinds.of(previous.op())) && !previous.hasFusedDropout()) {
                out.set(out.size() - 1, previous.withFusedDropout(dropout.getAsDouble(), node.name())
                        .withShapes(previous.in(), node.out()));
                folded.put(original.id(), previous.id());
                continue;
            }
            out.add(node);
        }
        return NormIntoAdd.rewrite(graph.withNodes(out));
    }

    /**
     * A max pool can run before {@code conv}'s epilogue when nothing else is folded in yet (a dropout between
     * them would have to see every unpooled value) and its kind allows it (a grouped convolution does not; nor
     * does a negative-alpha leaky ReLU or ELU, which would pick other winners).
     */
    static boolean poolsAfter(Node conv, Node node) {
        return !conv.hasFusedDropout() && !conv.hasFusedPool() && absorbsMaxPool(OpKinds.of(conv.op()))
                && isFusableMaxPool(OpKinds.of(node.op()));
    }

    private static <T extends Op> boolean absorbsMaxPool(OpKinds.Bound<T> b) {
        return b.kind().absorbsMaxPool(b.op());
    }

    private static <T extends Op> boolean isFusableMaxPool(OpKinds.Bound<T> b) {
        return b.kind().isFusableMaxPool(b.op());
    }

    private static <T extends Op> boolean absorbsDropout(OpKinds.Bound<T> b) {
        return b.kind().absorbsDropout(b.op());
    }

    private static <T extends Op> OptionalDouble foldableDropout(OpKinds.Bound<T> b) {
        return b.kind().foldableDropout(b.op());
    }
}
