package dev.lamina.processor.ops.convtranspose;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.DeviceRegions.Shared;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A transposed convolution on the device: the adjoint of the convolution from its output's size to its input's,
 * so its forward pass is that convolution's input-gradient pass (a GEMM into columns, folded by col2im) and its
 * backward pass that convolution's forward one.
 */
final class ConvTransposeCuda implements CudaLowering<Op.ConvTranspose> {
    static final ConvTransposeCuda LOWERING = new ConvTransposeCuda();

    private ConvTransposeCuda() {
    }

    /** The convolution a transposed one is the adjoint of: positions, filters and field of its GEMM. */
    private record Adjoint(int positions, int filters, int field) {
        static Adjoint of(Node node, Op.ConvTranspose t) {
            return new Adjoint(node.in().spatial(), node.in().channels(), t.kernel() * t.kernel() * t.filters());
        }
    }

    @Override
    public void kernels(Op.ConvTranspose t, LayerKernels out) {
        out.epilogue(out.node().out(), t.filters(), t.bias(), t.activation());
    }

    @Override
    public void reserve(Op.ConvTranspose t, Node node, DeviceRegions regions) {
        // the columns of the convolution it is the adjoint of: one per input position
        regions.share(Shared.COLUMNS, node.in().spatial() * t.kernel() * t.kernel() * t.filters());
    }

    @Override
    public void forward(Op.ConvTranspose t, DeviceLayer layer) {
        Node node = layer.node();
        Adjoint g = Adjoint.of(node, t);
        String cols = layer.shared(Shared.COLUMNS);
        // columns = in W, folded
        layer.gemm("nn", lin(g.positions(), 0), g.field(), String.valueOf(g.filters()), layer.in(), g.filters(),
                layer.param("weight"), g.field(), 0, cols, g.field());
        layer.step("lamina_col2im", "e:" + lin(node.out().size(), 0)).arg("cols", cols).i("images", "n")
                .i("h", node.out().height()).i("w", node.out().width()).i("c", t.filters()).i("k", t.kernel())
                .i("stride", t.stride()).i("pad", t.padding()).i("dilation", 1).i("oh", node.in().height())
                .i("ow", node.in().width()).arg("in", layer.out());
        layer.epilogue(layer.out(), t.bias(), t.activation());
    }

    @Override
    public void backward(Op.ConvTranspose t, DeviceLayer layer) {
        Node node = layer.node();
        Adjoint g = Adjoint.of(node, t);
        String delta = layer.delta();
        layer.activationBackward(delta, layer.out(), t.activation());
        if (t.bias()) {
            layer.biasGradient(delta, lin(node.out().spatial(), 0), t.filters());
        }
        // the adjoint's roles swapped: its input is this layer's output gradient, its output gradient our input
        String cols = layer.shared(Shared.COLUMNS);
        layer.im2col(node.out(), node.in(), t.filters(), t.kernel(), t.stride(), t.padding(), 1, delta);
        layer.gemm("tn", String.valueOf(g.filters()), g.field(), lin(g.positions(), 0), layer.in(), g.filters(),
                cols, g.field(), 1, layer.gradient("weight"), g.field());
        if (layer.needsInputGradient()) {
            layer.gemm("nt", lin(g.positions(), 0), g.filters(), String.valueOf(g.field()), cols, g.field(),
                    layer.param("weight"), g.field(), 0, layer.deltaIn(), g.filters());
        }
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }
}
