package dev.lamina.processor.check;

import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * Units, filters, kernels, strides, dilations and groups are positive; padding is not negative. Inside a block,
 * filters and stride may also be {@code Residual.STAGE}.
 */
final class PositiveSizes implements Rule {
    @Override
    public void check(Graph graph, Diagnostics d) {
        LayerAttributes.forEach(graph, (node, op, label, inBlock) -> {
            if (op instanceof Op.Dense dense) {
                positive(d, node, label, "units", dense.units());
            } else if (op instanceof Op.Conv c) {
                positive(d, node, label, "groups", c.groups());
                int filters = inBlock && c.filters() == Op.Residual.STAGE ? 1 : c.filters();
                int stride = inBlock && c.stride() == Op.Residual.STAGE ? 1 : c.stride();
                if (c.groups() > 0 && c.filters() > 0 && c.filters() % c.groups() != 0) {
                    d.error(node, "filters of " + label + " (" + c.filters() + ") must divide into its "
                            + c.groups() + " groups");
                }
                window(d, node, label, filters, c.kernel(), stride, c.dilation(), c.padding());
            } else if (op instanceof Op.Pool p) {
                positive(d, node, label, "kernel", p.kernel());
                positive(d, node, label, "stride", p.stride());
                if (p.padding() != 0 && p.poolKind() != PoolKind.MAX) {
                    d.error(node, "padding of " + label + " (" + p.poolKind() + " pool) must be 0: only max"
                            + " pooling pads, found " + p.padding());
                } else if (p.padding() < 0 || p.padding() > p.kernel() / 2) {
                    d.error(node, "padding of " + label + " must be between 0 and half the kernel ("
                            + Math.max(p.kernel() / 2, 0) + "), found " + p.padding());
                }
            } else if (op instanceof Op.Conv1d c) {
                window(d, node, label, c.filters(), c.kernel(), c.stride(), c.dilation(), c.padding());
            } else if (op instanceof Op.Upsample u) {
                positive(d, node, label, "scale", u.scale());
            } else if (op instanceof Op.ConvTranspose t) {
                window(d, node, label, t.filters(), t.kernel(), t.stride(), 1, t.padding());
                if (t.outputPadding() < 0 || t.outputPadding() >= Math.max(t.stride(), 1)) {
                    d.error(node, "outputPadding of " + label + " must be between 0 and stride - 1 ("
                            + Math.max(t.stride() - 1, 0) + "), found " + t.outputPadding());
                }
            } else if (op instanceof Op.ResponseNorm lrn) {
                positive(d, node, label, "size", lrn.size());
            } else if (op instanceof Op.Embedding e) {
                positive(d, node, label, "dim", e.dim());
            } else if (op instanceof Op.Residual res) {
                positive(d, node, label, "filters", res.filters());
                positive(d, node, label, "stride", res.stride());
                positive(d, node, label, "repeat", res.repeat());
            } else if (op instanceof Op.Recurrent r) {
                positive(d, node, label, "units", r.units());
            }
        });
    }

    /** The sizes every convolution has: filters, kernel, stride and dilation positive, padding not negative. */
    private static void window(Diagnostics d, Node node, String label, int filters, int kernel, int stride,
                               int dilation, int padding) {
        positive(d, node, label, "filters", filters);
        positive(d, node, label, "kernel", kernel);
        positive(d, node, label, "stride", stride);
        positive(d, node, label, "dilation", dilation);
        if (padding < 0) {
            d.error(node, "padding of " + label + " must be >= 0, found " + padding);
        }
    }

    private static void positive(Diagnostics d, Node node, String label, String attribute, int value) {
        if (value < 1) {
            d.error(node, attribute + " of " + label + " must be positive, found " + value);
        }
    }
}
