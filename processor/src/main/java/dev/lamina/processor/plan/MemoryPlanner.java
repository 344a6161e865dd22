package dev.lamina.processor.plan;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import dev.lamina.processor.plan.MemoryPlan.TensorSlot;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out what the kinds declare: their parameters and running statistics in flat-array order, and the
 * activation arena from liveness. In training every forward output (and each mask and normalised value) is read
 * again by the backward pass, so each gets its own region; gradients with respect to activations live only from
 * one layer's backward step to the next, so a few shared slots serve them all ({@link GradientSlots}), and views
 * (a flatten) share their input's region. A convolution with a fused max pool keeps its raw sums in a region of
 * their own; the backward pass overwrites them with their gradient. Convolution columns are not planned here:
 * they live in worker scratch.
 *
 * <p>Per layer, in order: its output region, the mask of a dropout folded into it, the regions its kind claims
 * ({@code OpKind.claimRegions}), then a fused pool's sums and winners.
 */
public final class MemoryPlanner {
    private MemoryPlanner() {
    }

    public static MemoryPlan plan(Graph graph) {
        Arena arena = new Arena();
        List<TensorSlot> parameters = new ArrayList<>();
        List<TensorSlot> buffers = new ArrayList<>();
        int params = 0;
        int stats = 0;

        Node input = graph.input();
        arena.output.put(input.id(), arena.claim(input.out().size()));
        int largest = input.out().size();
        for (Node node : graph.layers()) {
            OpKinds.Bound<?> bound = OpKinds.of(node.op());
            int outSize = node.out().size();
            largest = Math.max(largest, outSize);
            if (bound.kind().isView()) {
                arena.output.put(node.id(), arena.output.get(node.input()));
                continue;
            }
            arena.output.put(node.id(), arena.claim(outSize));
            if (node.hasFusedDropout()) {
                arena.mask(node, outSize);
            }
            for (TensorSpec spec : tensors(bound, node, graph)) {
                if (spec.statistic()) {
                    buffers.add(slot(node, spec, stats));
                    stats += spec.length();
                } else {
                    parameters.add(slot(node, spec, params));
                    params += spec.length();
                }
            }
            claimRegions(bound, node, arena);
            if (node.hasFusedPool()) {
                arena.sums(node, WideRows.sumsSize(node));
                if (node.pool().op().recordsWinners()) {
                    arena.argmax(node, outSize);
                }
            }
        }
        GradientSlots slots = GradientSlots.plan(graph);
        GradientSlots toInput = GradientSlots.differentiableInInput(graph) ? GradientSlots.planToInput(graph) : null;
        int count = toInput == null ? slots.count() : Math.max(slots.count(), toInput.count());
        int deltaBase = arena.claim(count * largest);
        return new MemoryPlan(arena.output, slots.gradient(), slots.contributions(), count, deltaBase,
                largest, arena.mask, arena.argmax, arena.sums, arena.normStats, arena.grouped, arena.recurrent,
                arena.floats(), arena.indices(), parameters, buffers,
                toInput == null ? null : new MemoryPlan.ToInput(toInput.gradient(), toInput.contributions()));
    }

    private static TensorSlot slot(Node node, TensorSpec spec, int offset) {
        return new TensorSlot(node.name() + spec.suffix(), spec.kind(), spec.shape(), offset, spec.initStd(),
                node.id(), spec.role(), spec.uniform());
    }

    /** What {@code b}'s kind declares for {@code node}. */
    public static <T extends Op> List<TensorSpec> tensors(OpKinds.Bound<T> b, Node node, Graph graph) {
        return b.kind().tensors(b.op(), node, graph);
    }

    private static <T extends Op> void claimRegions(OpKinds.Bound<T> b, Node node, Arena arena) {
        b.kind().claimRegions(b.op(), node, arena);
    }
}
