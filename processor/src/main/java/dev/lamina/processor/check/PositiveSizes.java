package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;

/**
 * Units, filters, kernels, strides, dilations and groups are positive; padding is not negative. Inside a block,
 * filters and stride may also be {@code Residual.STAGE}. Each kind names its sizes ({@code OpKind.sizes}) and
 * checks those with a rule of their own ({@code OpKind.sizeErrors}).
 */
final class PositiveSizes implements Rule {
    @Override
    public void check(Graph graph, Diagnostics d) {
        LayerAttributes.forEach(graph, (node, op, label, inBlock) -> check(OpKinds.of(op), node, label, inBlock, d));
    }

    private static <T extends Op> void check(OpKinds.Bound<T> b, Node node, String label, boolean inBlock,
                                             Diagnostics d) {
        // the sizes that must be positive, then those that may be 0 (padding), then the kind's own rules
        for (Size size : b.kind().sizes(b.op(), inBlock)) {
            if (size.least() == Size.Least.ONE && size.value() < 1) {
                d.error(node, size.name() + " of " + label + " must be positive, found " + size.value());
            }
        }
        for (Size size : b.kind().sizes(b.op(), inBlock)) {
            if (size.least() == Size.Least.ZERO && size.value() < 0) {
                d.error(node, size.name() + " of " + label + " must be >= 0, found " + size.value());
            }
        }
        for (String error : b.kind().sizeErrors(b.op(), label)) {
            d.error(node, error);
        }
    }
}
