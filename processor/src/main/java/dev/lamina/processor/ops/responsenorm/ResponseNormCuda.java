package dev.lamina.processor.ops.responsenorm;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** A local response norm on the device, through the library's kernels; it keeps each value's base for backward. */
final class ResponseNormCuda implements CudaLowering<Op.ResponseNorm> {
    static final ResponseNormCuda LOWERING = new ResponseNormCuda();

    private ResponseNormCuda() {
    }

    @Override
    public void kernels(Op.ResponseNorm lrn, LayerKernels out) {
        out.append("// (generic: lamina_lrn, lamina_lrn_backward)\n");
    }

    @Override
    public void reserve(Op.ResponseNorm lrn, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(Op.ResponseNorm lrn, DeviceLayer layer) {
        Node node = layer.node();
        layer.step("lamina_lrn", "e:" + lin(node.out().size(), 0)).arg("x", layer.in())
                .l("positions", lin(node.in().spatial(), 0)).i("c", node.in().channels()).i("size", lrn.size())
                .f("alpha", lrn.alpha()).f("beta", lrn.beta()).f("k", lrn.k()).arg("base", layer.normStats())
                .arg("y", layer.out());
    }

    @Override
    public void backward(Op.ResponseNorm lrn, DeviceLayer layer) {
        if (!layer.needsInputGradient()) {
            return;
        }
        Node node = layer.node();
        layer.step("lamina_lrn_backward", "e:" + lin(node.in().size(), 0)).arg("dy", layer.delta())
                .arg("x", layer.in()).arg("base", layer.normStats()).l("positions", lin(node.in().spatial(), 0))
                .i("c", node.in().channels()).i("size", lrn.size()).f("alpha", lrn.alpha()).f("beta", lrn.beta())
                .arg("dx", layer.deltaIn());
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }
}
