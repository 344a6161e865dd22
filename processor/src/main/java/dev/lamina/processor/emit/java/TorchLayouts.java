package dev.lamina.processor.emit.java;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.MemoryPlan.TensorSlot;

/**
 * Where PyTorch's equivalent of a planned tensor differs from Lamina's in name, shape or order: the file layout
 * the generated constructor declares ({@code state.fileLayout}), so that checkpoints hold PyTorch's layouts while
 * memory keeps Lamina's. Tensors not named here (dense weights on vectors, biases, embeddings, batch and layer norm
 * tensors, statistics) are the same in both.
 */
final class TorchLayouts {
    /** Channels last to channels first: {@code [a, kh, kw, b]} to {@code [a, b, kh, kw]}. */
    private static final int[] LAST_TO_FIRST = {0, 3, 1, 2};

    /** A file layout: the file's name, the view of the tensor, the permutation and the file's shape. */
    record Layout(String name, int[] view, int[] permutation, int[] shape) {
    }

    private TorchLayouts() {
    }

    /** The file layout of {@code slot}, or null when PyTorch holds it as Lamina does (or has no equivalent). */
    static Layout of(Graph graph, TensorSlot slot) {
        Node node = graph.node(slot.node());
        int[] s = slot.shape();
        Op op = node.op();
        if (op instanceof Op.Recurrent r) {
            // PyTorch numbers its stacked layers: one layer is layer 0; gate order and shapes are PyTorch's already.
            // Peepholes and coupled gates have no PyTorch equivalent: such a layer keeps Lamina's names
            return r.peephole() || r.coupled() ? null : new Layout(slot.name() + "_l0", s, identity(s.length), s);
        }
        if (!slot.role().equals("weight")) {
            return null;
        }
        if (op instanceof Op.Conv || op instanceof Op.ConvTranspose) {
            // [filters, kh, kw, in / groups] to OIHW; a transposed convolution's [in, kh, kw, out] to [in, out, kh, kw]
            return new Layout(slot.name(), s, LAST_TO_FIRST, permuted(s, LAST_TO_FIRST));
        }
        if (op instanceof Op.Conv1d) {
            int[] order = {0, 2, 1};
            return new Layout(slot.name(), s, order, permuted(s, order));
        }
        if (op instanceof Op.Dense) {
            Shape map = flattenedMap(graph, node);
            if (map != null && map.channels() > 1 && map.spatial() > 1) {
                // the columns of a flattened C x H x W map: Lamina's (h, w, c) to PyTorch's (c, h, w)
                int[] view = {s[0], map.height(), map.width(), map.channels()};
                return new Layout(slot.name(), view, LAST_TO_FIRST, s);
            }
        }
        return null;
    }

    /** The image a dense layer's input flattens (through flattens and dropouts), or null when it reads a vector. */
    private static Shape flattenedMap(Graph graph, Node dense) {
        if (dense.in().sequence()) {
            return null;
        }
        Node at = dense;
        while (!at.in().image() && at.input() >= 0) {
            Node source = graph.node(at.input());
            if (!(source.op() instanceof Op.Flatten || source.op() instanceof Op.Dropout)) {
                return null;
            }
            at = source;
        }
        return at.in().image() ? at.in() : null;
    }

    private static int[] permuted(int[] shape, int[] order) {
        int[] out = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = shape[order[i]];
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] axes = new int[n];
        for (int i = 0; i < n; i++) {
            axes[i] = i;
        }
        return axes;
    }
}
