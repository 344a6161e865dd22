package dev.lamina.processor.ops.conv;

import static dev.lamina.processor.emit.cuda.DeviceProgram.arena;
import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.DeviceRegions.Shared;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;

/**
 * A convolution on the device: its input unfolded into columns (im2col), one GEMM with the filters, the layer's
 * epilogue; a max pool fused into it runs on the epilogue's output, and a dropout fused after that on the pooled
 * values. A grouped convolution runs one group at a time, as on the CPU.
 */
final class ConvCuda implements CudaLowering<Op.Conv> {
    static final ConvCuda LOWERING = new ConvCuda();
    /** A fused pool's input: the convolution's own output, before pooling. */
    private static final String UNPOOLED = "unpooled";

    private ConvCuda() {
    }

    @Override
    public void kernels(Op.Conv c, LayerKernels out) {
        Node node = out.node();
        // the GPU pools after the epilogue (lamina_max_pool): it applies to the convolution's own output
        Shape conv = node.pool() != null ? node.pool().convOut() : node.out();
        out.epilogue(conv, c.filters(), c.bias(), c.activation());
    }

    @Override
    public void reserve(Op.Conv c, Node node, DeviceRegions regions) {
        if (c.groups() > 1 && !node.hasFusedPool()) {
            Groups g = Groups.of(node, c);
            regions.share(Shared.COLUMNS, g.positions() * g.field());
            regions.share(Shared.GROUP, 2 * g.inPositions() * g.cin() + g.positions() * g.fout());
        }
        if (c.groups() == 1) {
            regions.share(Shared.COLUMNS, node.ownOut().spatial() * fieldSize(node, c));
            if (node.hasFusedPool()) {
                regions.own(node, UNPOOLED, node.ownOut().size());
                regions.share(Shared.UNPOOLED_GRADIENT, node.ownOut().size());
            }
        }
    }

    @Override
    public void forward(Op.Conv c, DeviceLayer layer) {
        Node node = layer.node();
        String out = layer.out();
        if (c.groups() > 1) {
            if (node.hasFusedPool()) {
                layer.unsupported(c.kind());
                return;
            }
            groupedForward(layer, c, layer.in(), out);
            layer.epilogue(out, c.bias(), c.activation());
            return;
        }
        Shape own = node.ownOut();
        String raw = node.hasFusedPool() ? arena(layer.own(UNPOOLED)) : out;
        int field = fieldSize(node, c);
        im2col(layer, c, node.in().channels(), layer.in());
        layer.gemm("nt", lin(own.spatial(), 0), c.filters(), field, layer.shared(Shared.COLUMNS), field,
                layer.param("weight"), field, 0, raw, c.filters());
        layer.epilogue(raw, c.bias(), c.activation());
        if (node.hasFusedPool()) {
            layer.maxPool(node.pool().op(), own, node.out(), raw, out);
            if (node.hasFusedDropout()) {
                // on the pooled values, as the CPU draws them
                layer.dropout(out, out, node.out().size(), node.dropoutName(), node.dropout());
            }
        }
    }

    @Override
    public void backward(Op.Conv c, DeviceLayer layer) {
        Node node = layer.node();
        String delta = layer.delta();
        if (c.groups() > 1) {
            layer.activationBackward(delta, layer.out(), c.activation());
            if (c.bias()) {
                layer.biasGradient(delta, lin(node.out().spatial(), 0), c.filters());
            }
            groupedBackward(layer, c);
            return;
        }
        Shape own = node.ownOut();
        String sumsGradient = delta;
        if (node.hasFusedPool()) {
            // the unpooled gradient: zero, each pooled gradient routed to its winner, then the activation's
            sumsGradient = layer.shared(Shared.UNPOOLED_GRADIENT);
            if (node.hasFusedDropout()) {
                layer.dropoutBackward(delta);
            }
            layer.zero(sumsGradient, lin(own.size(), 0));
            layer.maxPoolBackward(delta, sumsGradient);
            layer.activationBackward(sumsGradient, arena(layer.own(UNPOOLED)), c.activation());
        } else {
            layer.activationBackward(delta, layer.out(), c.activation());
        }
        int field = fieldSize(node, c);
        String cols = layer.shared(Shared.COLUMNS);
        if (c.bias()) {
            layer.biasGradient(sumsGradient, lin(own.spatial(), 0), c.filters());
        }
        im2col(layer, c, node.in().channels(), layer.in());
        layer.gemm("tn", String.valueOf(c.filters()), field, lin(own.spatial(), 0), sumsGradient, c.filters(), cols,
                field, 1, layer.gradient("weight"), field);
        if (layer.needsInputGradient()) {
            layer.gemm("nn", lin(own.spatial(), 0), field, String.valueOf(c.filters()), sumsGradient, c.filters(),
                    layer.param("weight"), field, 0, cols, field);
            col2im(layer, c, node.in().channels(), cols, layer.deltaIn());
        }
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }

    /** Unfolds {@code channels}-channel images at {@code from} into the columns, with the layer's geometry. */
    private static void im2col(DeviceLayer layer, Op.Conv c, int channels, String from) {
        layer.im2col(layer.node().in(), layer.node().ownOut(), channels, c.kernel(), c.stride(), c.padding(),
                c.dilation(), from);
    }

    /** Folds the columns back into {@code channels}-channel images at {@code to}, adding overlapping values. */
    private static void col2im(DeviceLayer layer, Op.Conv c, int channels, String cols, String to) {
        Shape in = layer.node().in();
        Shape own = layer.node().ownOut();
        layer.step("lamina_col2im", "e:" + lin(in.spatial() * channels, 0)).arg("cols", cols).i("images", "n")
                .i("h", in.height()).i("w", in.width()).i("c", channels).i("k", c.kernel()).i("stride", c.stride())
                .i("pad", c.padding()).i("dilation", c.dilation()).i("oh", own.height()).i("ow", own.width())
                .arg("in", to);
    }

    /**
     * A grouped convolution one group at a time, as the CPU does it: the group's input channels gathered into a
     * region of their own, unfolded, multiplied by the group's filters, and the result placed among the output's
     * channels. The group region holds the group's input, its output, and its input gradient.
     */
    private static void groupedForward(DeviceLayer layer, Op.Conv c, String in, String out) {
        Node node = layer.node();
        Groups g = Groups.of(node, c);
        int group = layer.sharedRegion(Shared.GROUP);
        String groupIn = arena(group);
        String groupOut = arena(group + g.inPositions() * g.cin());
        int weight = layer.paramOffset("weight");
        for (int k = 0; k < g.count(); k++) {
            layer.channels("lamina_take", in, g.inPositions(), g.cin(), node.in().channels(), k * g.cin(), groupIn);
            im2col(layer, c, g.cin(), groupIn);
            layer.gemm("nt", lin(g.positions(), 0), g.fout(), g.field(), layer.shared(Shared.COLUMNS), g.field(),
                    "P:" + (weight + k * g.fout() * g.field()), g.field(), 0, groupOut, g.fout());
            layer.channels("lamina_place", groupOut, g.positions(), g.fout(), c.filters(), k * g.fout(), out);
        }
    }

    private static void groupedBackward(DeviceLayer layer, Op.Conv c) {
        Node node = layer.node();
        Groups g = Groups.of(node, c);
        int group = layer.sharedRegion(Shared.GROUP);
        String groupIn = arena(group);
        String groupOut = arena(group + g.inPositions() * g.cin());
        String groupDx = arena(group + g.inPositions() * g.cin() + g.positions() * g.fout());
        String cols = layer.shared(Shared.COLUMNS);
        int weight = layer.paramOffset("weight");
        for (int k = 0; k < g.count(); k++) {
            int filters = weight + k * g.fout() * g.field();
            layer.channels("lamina_take", layer.delta(), g.positions(), g.fout(), c.filters(), k * g.fout(),
                    groupOut);
            layer.channels("lamina_take", layer.in(), g.inPositions(), g.cin(), node.in().channels(), k * g.cin(),
                    groupIn);
            im2col(layer, c, g.cin(), groupIn);
            layer.gemm("tn", String.valueOf(g.fout()), g.field(), lin(g.positions(), 0), groupOut, g.fout(), cols,
                    g.field(), 1, "G:" + filters, g.field());
            if (layer.needsInputGradient()) {
                layer.gemm("nn", lin(g.positions(), 0), g.field(), String.valueOf(g.fout()), groupOut, g.fout(),
                        "P:" + filters, g.field(), 0, cols, g.field());
                col2im(layer, c, g.cin(), cols, groupDx);
                layer.channels("lamina_place", groupDx, g.inPositions(), g.cin(), node.in().channels(), k * g.cin(),
                        layer.deltaIn());
            }
        }
    }

    /** A grouped convolution's sizes per group: input channels, filters, GEMM depth; positions in and out. */
    private record Groups(int count, int cin, int fout, int field, int inPositions, int positions) {
        static Groups of(Node node, Op.Conv c) {
            int cin = node.in().channels() / c.groups();
            return new Groups(c.groups(), cin, c.filters() / c.groups(), c.kernel() * c.kernel() * cin,
                    node.in().spatial(), node.out().spatial());
        }
    }

    private static int fieldSize(Node node, Op.Conv c) {
        return c.kernel() * c.kernel() * node.in().channels();
    }
}
