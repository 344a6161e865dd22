package dev.lamina.processor.check;

import dev.lamina.dsl.Init;
import dev.lamina.processor.graph.Op;

/**
 * One real-valued attribute of a layer as {@link ValuesInRange} checks it. A kind lists its values
 * ({@code OpKind.values}); the bounds of activations, initial deviations and epsilons are the rule's, those of a
 * kind's own attributes ({@link Within}) are the kind's.
 */
public sealed interface Value {
    /** An activation and its parameter. */
    record Activation(Op.Act act) implements Value {
    }

    /** The initialisation and its deviation (checked for GAUSSIAN). */
    record InitStd(Init init, double std) implements Value {
    }

    /** A normalisation's epsilon, added in float. */
    record Epsilon(double epsilon) implements Value {
    }

    /** An attribute with the range it must be in, as messages write it ({@code [0, 1)}), and whether it is. */
    record Within(String name, double value, String range, boolean inRange) implements Value {
    }
}
