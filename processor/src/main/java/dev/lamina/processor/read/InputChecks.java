package dev.lamina.processor.read;

import dev.lamina.dsl.Network;
import dev.lamina.processor.graph.Shape;
import java.util.Arrays;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;

/**
 * The {@code @Network} input is one the graph can start from: features, an image, a sequence of features or of
 * token ids. Checked on the annotation, before any graph exists: the input node's shape is built from these values.
 */
final class InputChecks {
    private InputChecks() {
    }

    /**
     * Reports on {@code type} how its input is malformed: a negative steps and a negative tokens each, else the
     * first way the sizes do not fit the kind of input they declare (which depends on both); false when there was
     * one.
     */
    static boolean check(ElementErrors errors, TypeElement type, AnnotationMirror mirror, Network network) {
        int[] in = network.input();
        boolean rankOk = in.length == 1 || in.length == 3;
        boolean positive = Arrays.stream(in).allMatch(d -> d > 0);
        boolean countsOk = true;
        if (network.steps() < 0) {
            errors.error("@Network steps must be positive for a sequence input (or 0 for none), found "
                    + network.steps(), type, mirror);
            countsOk = false;
        }
        if (network.tokens() < 0) {
            errors.error("@Network tokens must be positive for a token input (or 0 for none), found "
                    + network.tokens(), type, mirror);
            countsOk = false;
        }
        if (!countsOk) {
            return false; // which kind of input the sizes declare is unknown
        }
        if (network.tokens() > 0) {
            if (network.steps() < 1 || in.length > 1 || in.length == 1 && in[0] != 1) {
                errors.error("a token input (tokens = " + network.tokens() + ") is a sequence of ids, one per step: "
                        + "give steps and leave input out, found steps = " + network.steps() + " and input "
                        + Arrays.toString(in), type, mirror);
                return false;
            }
            return true;
        }
        if (network.steps() > 0 && (in.length != 1 || !positive)) {
            errors.error("a sequence input (steps = " + network.steps() + ") takes the features of one step, "
                    + "{features}, found input " + Arrays.toString(in), type, mirror);
            return false;
        }
        if (!rankOk || !positive) {
            errors.error("@Network input must be {features} or {channels, height, width} with every size positive, "
                    + "found " + Arrays.toString(in), type, mirror);
            return false;
        }
        return true;
    }

    /** The shape of a checked input. */
    static Shape shape(Network network) {
        int[] in = network.input();
        return network.tokens() > 0 ? Shape.sequence(network.steps(), 1)
                : network.steps() > 0 ? Shape.sequence(network.steps(), in[0])
                : in.length == 1 ? Shape.vector(in[0]) : Shape.image(in[0], in[1], in[2]);
    }
}
