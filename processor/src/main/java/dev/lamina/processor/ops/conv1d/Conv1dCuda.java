package dev.lamina.processor.ops.conv1d;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.DeviceRegions.Shared;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** A convolution over steps on the device: the steps unfolded into columns, one GEMM, the layer's epilogue. */
final class Conv1dCuda implements CudaLowering<Op.Conv1d> {
    static final Conv1dCuda LOWERING = new Conv1dCuda();

    private Conv1dCuda() {
    }

    @Override
    public void kernels(Op.Conv1d c, LayerKernels out) {
        out.epilogue(out.node().out(), c.filters(), c.bias(), c.activation());
    }

    @Override
    public void reserve(Op.Conv1d c, Node node, DeviceRegions regions) {
        regions.share(Shared.COLUMNS, node.out().steps() * c.kernel() * node.in().features());
    }

    @Override
    public void forward(Op.Conv1d c, DeviceLayer layer) {
        int field = c.kernel() * layer.node().in().features();
        int outSteps = layer.node().out().steps();
        String cols = layer.shared(Shared.COLUMNS);
        im2col(layer, c);
        layer.gemm("nt", lin(outSteps, 0), c.filters(), field, cols, field, layer.param("weight"), field, 0,
                layer.out(), c.filters());
        layer.epilogue(layer.out(), c.bias(), c.activation());
    }

    @Override
    public void backward(Op.Conv1d c, DeviceLayer layer) {
        Node node = layer.node();
        String delta = layer.delta();
        layer.activationBackward(delta, layer.out(), c.activation());
        String cols = layer.shared(Shared.COLUMNS);
        int field = c.kernel() * node.in().features();
        int outSteps = node.out().steps();
        if (c.bias()) {
            layer.biasGradient(delta, lin(outSteps, 0), c.filters());
        }
        im2col(layer, c);
        layer.gemm("tn", String.valueOf(c.filters()), field, lin(outSteps, 0), delta, c.filters(), cols, field, 1,
                layer.gradient("weight"), field);
        if (layer.needsInputGradient()) {
            layer.gemm("nn", lin(outSteps, 0), field, String.valueOf(c.filters()), delta, c.filters(),
                    layer.param("weight"), field, 0, cols, field);
            layer.step("lamina_col2im_1d", "e:" + lin(node.in().size(), 0)).arg("cols", cols).i("rows", "n")
                    .i("steps", node.in().steps()).i("c", node.in().features()).i("k", c.kernel())
                    .i("stride", c.stride()).i("pad", c.padding()).i("dilation", c.dilation())
                    .i("outSteps", outSteps).arg("in", layer.deltaIn());
        }
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }

    /** The layer's input unfolded into the columns: a window of {@code kernel} steps per output step. */
    private static void im2col(DeviceLayer layer, Op.Conv1d c) {
        Node node = layer.node();
        int outSteps = node.out().steps();
        int field = c.kernel() * node.in().features();
        layer.step("lamina_im2col_1d", "e:" + lin(outSteps * field, 0)).arg("in", layer.in()).i("rows", "n")
                .i("steps", node.in().steps()).i("c", node.in().features()).i("k", c.kernel())
                .i("stride", c.stride()).i("pad", c.padding()).i("dilation", c.dilation()).i("outSteps", outSteps)
                .arg("cols", layer.shared(Shared.COLUMNS));
    }
}
