package dev.lamina.processor.check;

import dev.lamina.dsl.Loss;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;

/**
 * The loss fits the output shape: softmax cross-entropy needs at least two class scores in a vector (or a
 * [classes, 1, 1] image, as after global average pooling); sigmoid cross-entropy needs a vector; label
 * smoothing only means something for softmax cross-entropy.
 */
final class LossMatchesOutput implements Rule {
    @Override
    public void check(Graph graph, Diagnostics d) {
        Node out = graph.output();
        if (out.out() == null || graph.layers().isEmpty()) {
            return;
        }
        // a sequence output takes the loss at every step
        boolean vectorLike = !out.out().image() || out.out().spatial() == 1;
        int classes = out.out().sequence() ? out.out().features() : out.out().size();
        switch (graph.loss()) {
            case SOFTMAX_CROSS_ENTROPY -> {
                if (!vectorLike || classes < 2) {
                    d.error(out, "loss SOFTMAX_CROSS_ENTROPY needs a vector of at least 2 class scores, but the output"
                            + " of '" + out.name() + "' (" + out.op().kind() + ") is " + out.out()
                            + (vectorLike ? "" : "; add a Dense layer with one unit per class"));
                }
            }
            case SIGMOID_CROSS_ENTROPY -> {
                if (!vectorLike) {
                    d.error(out, "loss SIGMOID_CROSS_ENTROPY needs a vector of label scores, but the output of '"
                            + out.name() + "' (" + out.op().kind() + ") is " + out.out());
                }
            }
            case MEAN_SQUARED_ERROR -> {
            }
        }
        if (graph.labelSmoothing() > 0 && graph.loss() != Loss.SOFTMAX_CROSS_ENTROPY) {
            d.error("labelSmoothing applies to SOFTMAX_CROSS_ENTROPY only, but the loss is " + graph.loss());
        }
    }
}
