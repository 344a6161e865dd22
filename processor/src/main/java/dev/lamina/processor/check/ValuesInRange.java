package dev.lamina.processor.check;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Init;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * The real-valued attributes are in the range where training stays finite: rates in [0, 1), epsilons positive in
 * float, momentum in [0, 1], activation parameters and initial deviations of a sane size. The reader has already
 * refused NaN and infinite values where they were written; these bounds are Lamina's choice (see
 * docs/ARCHITECTURE.md) and apply the same at top level and inside a block.
 */
final class ValuesInRange implements Rule {
    /** An activation's alpha (or ReLU6's cap) beyond this scales activations towards overflow. */
    static final double MAX_ALPHA = 100;
    /** A Gaussian initial deviation beyond this overflows a few layers in. */
    static final double MAX_INIT_STD = 10;

    @Override
    public void check(Graph graph, Diagnostics d) {
        if (!(graph.labelSmoothing() >= 0 && graph.labelSmoothing() < 1)) {
            d.error("labelSmoothing must be in [0, 1), found " + graph.labelSmoothing());
        }
        LayerAttributes.forEach(graph, (node, op, label, inBlock) -> {
            if (op instanceof Op.Dense x) {
                activation(d, node, label, x.activation());
                init(d, node, label, x.init(), x.initStd());
            } else if (op instanceof Op.Conv x) {
                activation(d, node, label, x.activation());
                init(d, node, label, x.init(), x.initStd());
            } else if (op instanceof Op.Conv1d x) {
                activation(d, node, label, x.activation());
                init(d, node, label, x.init(), x.initStd());
            } else if (op instanceof Op.ConvTranspose x) {
                activation(d, node, label, x.activation());
                init(d, node, label, x.init(), x.initStd());
            } else if (op instanceof Op.Dropout drop) {
                if (!(drop.rate() >= 0 && drop.rate() < 1)) {
                    d.error(node, "rate of " + label + " must be in [0, 1), found " + drop.rate());
                }
            } else if (op instanceof Op.BatchNorm bn) {
                epsilon(d, node, label, bn.epsilon());
                if (!(bn.momentum() >= 0 && bn.momentum() <= 1)) {
                    d.error(node, "momentum of " + label + " must be in [0, 1], found " + bn.momentum());
                }
                activation(d, node, label, bn.activation());
            } else if (op instanceof Op.LayerNorm ln) {
                epsilon(d, node, label, ln.epsilon());
                activation(d, node, label, ln.activation());
            } else if (op instanceof Op.ResponseNorm lrn) {
                // the denominator (k + alpha / size * sum of squares)^beta stays >= k^beta > 0
                if (!(lrn.k() > 0 && lrn.k() <= 1e6)) {
                    d.error(node, "k of " + label + " must be in (0, 1e6], found " + lrn.k());
                }
                if (!(lrn.alpha() >= 0 && lrn.alpha() <= 1e6)) {
                    d.error(node, "alpha of " + label + " must be in [0, 1e6], found " + lrn.alpha());
                }
                if (!(lrn.beta() >= 0 && lrn.beta() <= 10)) {
                    d.error(node, "beta of " + label + " must be in [0, 10], found " + lrn.beta());
                }
            }
        });
    }

    private static void epsilon(Diagnostics d, Node node, String label, double epsilon) {
        // it is added in float: below the smallest normal float it is 0 or a denormal, and 1/sqrt overflows
        if (!(epsilon >= Float.MIN_NORMAL && epsilon <= 1)) {
            d.error(node, "epsilon of " + label + " must be positive (at least " + Float.MIN_NORMAL
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
