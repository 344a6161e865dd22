package dev.lamina.processor.ops.layernorm;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.DeviceRegions.Shared;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.LayerNorms;

/**
 * A layer norm on the device: the library's kernel normalises each row of features and keeps its statistics for
 * the backward pass; the layer's own kernel applies the activation in place.
 */
final class LayerNormCuda implements CudaLowering<Op.LayerNorm> {
    static final LayerNormCuda LOWERING = new LayerNormCuda();

    private LayerNormCuda() {
    }

    @Override
    public void kernels(Op.LayerNorm n, LayerKernels out) {
        out.append("// (generic: lamina_layer_norm, lamina_layer_norm_backward)\n");
        out.activationInPlace(out.node().out(), n.activation());
        out.activationBackward(out.node().out(), n.activation());
    }

    @Override
    public void reserve(Op.LayerNorm n, Node node, DeviceRegions regions) {
        // the backward kernel always writes an input gradient, wanted or not
        regions.share(Shared.SCRATCH, node.in().size());
    }

    @Override
    public void forward(Op.LayerNorm n, DeviceLayer layer) {
        Node node = layer.node();
        String rows = lin(LayerNorms.rows(node), 0);
        layer.step("lamina_layer_norm", "b:" + rows).arg("x", layer.in()).i("rows", rows)
                .i("features", node.in().features()).f("epsilon", n.epsilon()).arg("gamma", layer.param("gamma"))
                .arg("beta", layer.param("beta")).arg("stats", layer.normStats()).arg("y", layer.out());
        if (!n.activation().isIdentity()) {
            layer.step(layer.id() + "_activation", "e:" + lin(node.out().size(), 0)).arg("y", layer.out())
                    .i("rows", "n");
        }
    }

    @Override
    public void backward(Op.LayerNorm n, DeviceLayer layer) {
        Node node = layer.node();
        String rows = lin(LayerNorms.rows(node), 0);
        String delta = layer.delta();
        layer.activationBackward(delta, layer.out(), n.activation());
        // the kernel always writes an input gradient: the scratch region takes it when none is needed
        layer.step("lamina_layer_norm_backward", "b:" + rows).arg("dy", delta).arg("x", layer.in()).i("rows", rows)
                .i("features", node.in().features()).arg("gamma", layer.param("gamma"))
                .arg("stats", layer.normStats())
                .arg("dx", layer.needsInputGradient() ? layer.deltaIn() : layer.shared(Shared.SCRATCH))
                .arg("dGamma", layer.gradient("gamma")).arg("dBeta", layer.gradient("beta"));
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }
}
