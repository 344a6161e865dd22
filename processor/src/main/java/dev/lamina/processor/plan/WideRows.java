package dev.lamina.processor.plan;

import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * Whether a convolution writes wide output rows (the runtime's {@code ConvGeometry.wide}): rows as wide as its
 * zero-padded input, so that unfolding its columns is one contiguous copy per tap. Only its fused 2x2 max pool
 * ever reads those rows, skipping the positions past the real output width; so they are used for one-channel,
 * stride-1 convolutions (a network's first layer, typically) whose pool was fused in.
 */
public final class WideRows {
    private WideRows() {
    }

    public static boolean applies(Node node) {
        if (!node.hasFusedPool()) {
            return false;
        }
        // fusion folds pools into convolutions only
        Op.Conv c = (Op.Conv) node.op();
        return c.groups() == 1 && node.pool().op().isMax2x2() && node.in().channels() == 1 && c.stride() == 1;
    }

    /** Positions per row of the convolution's raw sums. */
    public static int gridWidth(Node node) {
        Op.Conv conv = (Op.Conv) node.op();
        return applies(node) ? node.in().width() + 2 * conv.padding() : node.ownOut().width();
    }

    /** Floats per sample of the convolution's raw sums, in their layout. */
    public static int sumsSize(Node node) {
        return node.ownOut().height() * gridWidth(node) * node.ownOut().channels();
    }
}
