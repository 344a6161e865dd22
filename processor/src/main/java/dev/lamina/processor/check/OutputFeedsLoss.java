package dev.lamina.processor.check;

import dev.lamina.dsl.Loss;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKinds;
import dev.lamina.processor.ops.OpKind;
import java.util.List;

/**
 * The loss reads the last layer. A Dropout cannot follow the output layer (it would drop scores at random), and
 * the cross-entropy losses get raw scores: they apply softmax or sigmoid themselves.
 */
final class OutputFeedsLoss implements Rule {
    @Override
    public void check(Graph graph, Diagnostics d) {
        List<Node> layers = graph.layers();
        int output = layers.size() - 1;
        while (output >= 0 && readsThrough(OpKinds.of(layers.get(output).op()).kind())) {
            output--;
        }
        if (output < 0) {
            return;
        }
        Node producer = layers.get(output);
        for (Node after : layers.subList(output + 1, layers.size())) {
            if (OpKinds.of(after.op()).kind().dropsAtRandom()) {
                d.error(after, "'" + after.name() + "' (Dropout) cannot follow the output layer '" + producer.name()
                        + "': the loss " + graph.loss() + " is computed on that layer's output"
                        + known(producer.out()) + ", which must not be dropped at random; move the Dropout before '"
                        + producer.name() + "'");
            }
        }
        Op.Act act = outputActivation(OpKinds.of(producer.op()));
        if (graph.loss() != Loss.MEAN_SQUARED_ERROR && act != null && !act.isIdentity()) {
            String applies = graph.loss() == Loss.SOFTMAX_CROSS_ENTROPY ? "softmax" : "sigmoid";
            d.error(producer, "output layer '" + producer.name() + "' has activation " + act + ", but "
                    + graph.loss() + " applies " + applies + " to the raw scores itself; use activation IDENTITY"
                    + (producer.out() == null ? "" : " (output " + producer.out() + ")"));
        }
    }

    /** " [3]" for a known shape, "" for one a misfit left unknown (reported by LayerFitsInput). */
    private static String known(Shape shape) {
        return shape == null ? "" : " " + shape;
    }

    /** Whether the loss reads through a layer of {@code kind} to the one before it (a flatten, a dropout). */
    private static boolean readsThrough(OpKind<?> kind) {
        return kind.isView() || kind.dropsAtRandom();
    }

    private static <T extends Op> Op.Act outputActivation(OpKinds.Bound<T> b) {
        return b.kind().outputActivation(b.op());
    }
}
