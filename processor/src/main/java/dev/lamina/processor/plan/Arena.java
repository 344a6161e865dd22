package dev.lamina.processor.plan;

import dev.lamina.processor.graph.Node;
import java.util.HashMap;
import java.util.Map;

/**
 * The activation arena (floats per sample) and the index arena (ints per sample) as {@link MemoryPlanner} fills
 * them: regions are claimed one after the other, in the order the layers and their kinds ask for them. A kind
 * claims what it keeps besides its output through the named methods, so the plan can tell the emitters which
 * region is which.
 */
public final class Arena {
    final Map<Integer, Integer> output = new HashMap<>();
    final Map<Integer, Integer> mask = new HashMap<>();
    final Map<Integer, Integer> argmax = new HashMap<>();
    final Map<Integer, Integer> sums = new HashMap<>();
    final Map<Integer, Integer> normStats = new HashMap<>();
    final Map<Integer, Integer> grouped = new HashMap<>();
    final Map<Integer, MemoryPlan.RecurrentRegions> recurrent = new HashMap<>();
    private int floats;
    private int indices;

    /** A region of {@code count} floats per sample; returns its offset. */
    public int claim(int count) {
        int at = floats;
        floats += count;
        return at;
    }

    /** A region of {@code count} ints per sample in the index arena; returns its offset. */
    public int claimIndices(int count) {
        int at = indices;
        indices += count;
        return at;
    }

    /** The region of {@code node}'s output (claimed before its kind is asked for more). */
    public int output(Node node) {
        return output.get(node.id());
    }

    /** A dropout mask of {@code count} floats. */
    public void mask(Node node, int count) {
        mask.put(node.id(), claim(count));
    }

    /** Winner indices of a max pool, {@code count} ints. */
    public void argmax(Node node, int count) {
        argmax.put(node.id(), claimIndices(count));
    }

    /** Normalisation statistics the backward pass reads again. */
    public void normStats(Node node, int count) {
        normStats.put(node.id(), claim(count));
    }

    /** A grouped convolution's working region. */
    public void grouped(Node node, int count) {
        grouped.put(node.id(), claim(count));
    }

    /** A convolution's raw sums before its fused pool. */
    public void sums(Node node, int count) {
        sums.put(node.id(), claim(count));
    }

    /** A recurrent layer's regions, claimed by its kind with {@link #claim}. */
    public void recurrent(Node node, MemoryPlan.RecurrentRegions regions) {
        recurrent.put(node.id(), regions);
    }

    /** Floats per sample claimed so far. */
    public int floats() {
        return floats;
    }

    /** Ints per sample claimed so far. */
    public int indices() {
        return indices;
    }
}
