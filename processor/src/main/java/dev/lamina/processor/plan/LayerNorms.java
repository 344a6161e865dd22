package dev.lamina.processor.plan;

import dev.lamina.processor.graph.Node;

/** How a layer norm sees its input: rows of features (a sample, a step, or an image position). */
public final class LayerNorms {
    private LayerNorms() {
    }

    /** Rows per sample. */
    public static int rows(Node node) {
        if (node.in().sequence()) {
            return node.in().steps();
        }
        return node.in().image() ? node.in().spatial() : 1;
    }
}
