package dev.lamina.processor.check;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Init;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import java.util.Locale;

/**
 * The real-valued attributes are in the range where training stays finite: rates in [0, 1), epsilons positive in
 * float, momentum in [0, 1], activation parameters and initial deviations of a sane size. The reader has already
 * refused NaN and infinite values where they were written; these bounds are Lamina's choice (see
 * docs/ARCHITECTURE.md) and apply the same at top level and inside a block. Each kind lists its values
 * ({@code OpKind.values}), with the ranges of its own attributes.
 */
final class ValuesInRange implements Rule {
    /** An activation's alpha (or ReLU6's cap) beyond this scales activations towards overflow. */
    static final double MAX_ALPHA = 100;
    /** A Gaussian initial deviation beyond this overflows a few layers in. */
    static final double MAX_INIT_STD = 10;
    /** The smallest normal float as messages spell it, alike on every JDK (Float.toString's digits changed in 19). */
    private static final String MIN_NORMAL = String.format(Locale.ROOT, "%.4e", Float.MIN_NORMAL);

    @Override
    public void check(Graph graph, Diagnostics d) {
        if (!(graph.labelSmoothing() >= 0 && graph.labelSmoothing() < 1)) {
            d.error("labelSmoothing must be in [0, 1), found " + graph.labelSmoothing());
        }
        LayerAttributes.forEach(graph, (node, op, label, inBlock) -> check(OpKinds.of(op), node, label, d));
    }

    private static <T extends Op> void check(OpKinds.Bound<T> b, Node node, String label, Diagnostics d) {
        for (Value value : b.kind().values(b.op())) {
            if (value instanceof Value.Activation a) {
                activation(d, node, label, a.act());
            } else if (value instanceof Value.InitStd i) {
                init(d, node, label, i.init(), i.std());
            } else if (value instanceof Value.Epsilon e) {
                epsilon(d, node, label, e.epsilon());
            } else if (value instanceof Value.Within w && !w.inRange()) {
                d.error(node, w.name() + " of " + label + " must be in " + w.range() + ", found " + w.value());
            }
        }
    }

    private static void epsilon(Diagnostics d, Node node, String label, double epsilon) {
        // it is added in float: below the smallest normal float it is 0 or a denormal, and 1/sqrt overflows
        if (!(epsilon >= Float.MIN_NORMAL && epsilon <= 1)) {
            d.error(node, "epsilon of " + label + " must be positive (at least " + MIN_NORMAL
                    + ", the smallest normal float) and at most 1, found " + epsilon);
        }
    }

    private static void activation(Diagnostics d, Node node, String label, Op.Act act) {
        double alpha = act.alpha();
        if (act.function() == Activation.RELU6 && !(alpha > 0 && alpha <= MAX_ALPHA)) {
            d.error(node, "alpha (the cap) of " + label + "'s RELU6 must be in (0, " + (int) MAX_ALPHA + "], found "
                    + alpha);
        } else if ((act.function() == Activation.LEAKY_RELU || act.function() == Activation.ELU)
                && !(Math.abs(alpha) <= MAX_ALPHA)) {
            d.error(node, "alpha of " + label + "'s " + act.function() + " must be between -" + (int) MAX_ALPHA
                    + " and " + (int) MAX_ALPHA + ", found " + alpha);
        }
    }

    private static void init(Diagnostics d, Node node, String label, Init init, double std) {
        if (init == Init.GAUSSIAN && !(std > 0 && std <= MAX_INIT_STD)) {
            d.error(node, "initStd of " + label + " must be in (0, " + (int) MAX_INIT_STD + "] for GAUSSIAN "
                    + "initialisation, found " + std);
        }
    }
}
