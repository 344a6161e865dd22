package dev.lamina.processor.check;

import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Shape;

/**
 * The wording {@link LayerFitsInput} shares between kinds, for a layer whose output shape inference could not
 * compute ({@code OpKind.misfit}).
 */
public final class Misfit {
    private Misfit() {
    }

    /** Why a layer that applies to images does not apply to its input. */
    public static String ofImageLayer(Node node, String label) {
        return !node.in().image() ? needsImage(node, label) : cannotApply(node, label);
    }

    public static String needsImage(Node node, String label) {
        return label + " needs an image input [channels, height, width], but its input is " + describe(node.in());
    }

    public static String cannotApply(Node node, String label) {
        return label + " cannot apply to its input " + node.in();
    }

    /** {@code shape} with what it is: "the sequence [8, 4]". */
    public static String describe(Shape shape) {
        return (shape.sequence() ? "the sequence " : shape.image() ? "the image " : "the vector ") + shape;
    }
}
