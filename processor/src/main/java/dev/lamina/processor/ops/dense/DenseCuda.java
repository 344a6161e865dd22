package dev.lamina.processor.ops.dense;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** A dense layer on the device: a GEMM with the weights, then the layer's epilogue (bias, activation, dropout). */
final class DenseCuda implements CudaLowering<Op.Dense> {
    static final DenseCuda LOWERING = new DenseCuda();

    private DenseCuda() {
    }

    @Override
    public void kernels(Op.Dense d, LayerKernels out) {
        out.epilogue(out.node().out(), d.units(), d.bias(), d.activation());
    }

    @Override
    public void reserve(Op.Dense d, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(Op.Dense d, DeviceLayer layer) {
        int k = layer.node().in().features();
        layer.gemm("nt", rows(layer.node()), d.units(), k, layer.in(), k, layer.param("weight"), k, 0, layer.out(),
                d.units());
        layer.epilogue(layer.out(), d.bias(), d.activation());
    }

    @Override
    public void backward(Op.Dense d, DeviceLayer layer) {
        Node node = layer.node();
        int k = node.in().features();
        String delta = layer.delta();
        layer.activationBackward(delta, layer.out(), d.activation());
        layer.gemm("tn", String.valueOf(d.units()), k, rows(node), delta, d.units(), layer.in(), k, 1,
                layer.gradient("weight"), k);
        if (d.bias()) {
            layer.biasGradient(delta, rows(node), d.units());
        }
        if (layer.needsInputGradient()) {
            layer.gemm("nn", rows(node), k, String.valueOf(d.units()), delta, d.units(), layer.param("weight"), k, 0,
                    layer.deltaIn(), k);
        }
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }

    /** Rows of the GEMM: every step of every row on a sequence. */
    private static String rows(Node node) {
        return node.in().sequence() ? lin(node.in().steps(), 0) : "n";
    }
}
