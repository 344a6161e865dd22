package dev.lamina.processor.check;

import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** Units, filters, kernels, strides and dilations are positive; padding is not negative; rates are in range. */
final class PositiveSizes implements Rule {
    @Override
    public void check(Graph graph, Diagnostics d) {
        if (graph.labelSmoothing() < 0 || graph.labelSmoothing() >= 1) {
            d.error("labelSmoothing must be in [0, 1), found " + graph.labelSmoothing());
        }
        for (Node node : graph.layers()) {
            Op op = node.op();
            if (op instanceof Op.Dense dense) {
                positive(d, node, "units", dense.units());
            } else if (op instanceof Op.Conv c) {
                positive(d, node, "groups", c.groups());
                if (c.groups() > 0 && c.filters() % c.groups() != 0) {
                    d.error(node, "filters of '" + node.name() + "' (" + c.filters() + ") must divide into its "
                            + c.groups() + " groups");
                }
                window(d, node, c.filters(), c.kernel(), c.stride(), c.dilation(), c.padding());
            } else if (op instanceof Op.Pool p) {
                positive(d, node, "kernel", p.kernel());
                positive(d, node, "stride", p.stride());
                if (p.padding() != 0 && p.poolKind() != PoolKind.MAX) {
                    d.error(node, "padding of '" + node.name() + "' (" + p.poolKind() + " pool) must be 0: only max"
                            + " pooling pads, found " + p.padding());
                } else if (p.padding() < 0 || p.padding() > p.kernel() / 2) {
                    d.error(node, "padding of '" + node.name() + "' must be between 0 and half the kernel ("
                            + p.kernel() / 2 + "), found " + p.padding());
                }
            } else if (op instanceof Op.Conv1d c) {
                window(d, node, c.filters(), c.kernel(), c.stride(), c.dilation(), c.padding());
            } else if (op instanceof Op.Upsample u) {
                positive(d, node, "scale", u.scale());
            } else if (op instanceof Op.ConvTranspose t) {
                window(d, node, t.filters(), t.kernel(), t.stride(), 1, t.padding());
                if (t.outputPadding() < 0 || t.outputPadding() >= Math.max(t.stride(), 1)) {
                    d.error(node, "outputPadding of '" + node.name() + "' must be between 0 and stride - 1 ("
                            + (t.stride() - 1) + "), found " + t.outputPadding());
                }
            } else if (op instanceof Op.ResponseNorm lrn) {
                positive(d, node, "size", lrn.size());
            } else if (op instanceof Op.LayerNorm ln) {
                if (!(ln.epsilon() > 0)) {
                    d.error(node, "epsilon of '" + node.name() + "' must be positive, found " + ln.epsilon());
                }
            } else if (op instanceof Op.Embedding e) {
                positive(d, node, "dim", e.dim());
            } else if (op instanceof Op.Residual res) {
                positive(d, node, "filters", res.filters());
                positive(d, node, "stride", res.stride());
                positive(d, node, "repeat", res.repeat());
                for (Op.BlockLayer layer : res.custom()) {
                    if (layer.op() instanceof Op.Conv c) {
                        String where = " of block layer '" + layer.name() + "' of '" + node.name() + "'";
                        if (c.filters() < 1 && c.filters() != Op.Residual.STAGE
                                || c.stride() < 1 && c.stride() != Op.Residual.STAGE) {
                            d.error(node, "filters and stride" + where + " must be positive or Residual.STAGE, found "
                                    + c.filters() + " and " + c.stride());
                        }
                        if (c.kernel() < 1 || c.dilation() < 1 || c.padding() < 0) {
                            d.error(node, "kernel and dilation" + where + " must be positive and padding >= 0, found "
                                    + c.kernel() + ", " + c.dilation() + " and " + c.padding());
                        }
                    }
                }
            } else if (op instanceof Op.Recurrent lstm) {
                positive(d, node, "units", lstm.units());
            } else if (op instanceof Op.Dropout drop) {
                if (!(drop.rate() >= 0 && drop.rate() < 1)) {
                    d.error(node, "rate of '" + node.name() + "' must be in [0, 1), found " + drop.rate());
                }
            } else if (op instanceof Op.BatchNorm bn) {
                if (!(bn.epsilon() > 0)) {
                    d.error(node, "epsilon of '" + node.name() + "' must be positive, found " + bn.epsilon());
                }
                if (!(bn.momentum() >= 0 && bn.momentum() <= 1)) {
                    d.error(node, "momentum of '" + node.name() + "' must be in [0, 1], found " + bn.momentum());
                }
            }
        }
    }

    /** The sizes every convolution has: filters, kernel, stride and dilation positive, padding not negative. */
    private static void window(Diagnostics d, Node node, int filters, int kernel, int stride, int dilation,
                               int padding) {
        positive(d, node, "filters", filters);
        positive(d, node, "kernel", kernel);
        positive(d, node, "stride", stride);
        positive(d, node, "dilation", dilation);
        if (padding < 0) {
            d.error(node, "padding of '" + node.name() + "' must be >= 0, found " + padding);
        }
    }

    private static void positive(Diagnostics d, Node node, String attribute, int value) {
        if (value < 1) {
            d.error(node, attribute + " of '" + node.name() + "' (" + node.op().kind() + ") must be positive, found "
                    + value);
        }
    }
}
