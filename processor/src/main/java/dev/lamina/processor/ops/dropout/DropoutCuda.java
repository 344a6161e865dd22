package dev.lamina.processor.ops.dropout;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A dropout of its own (one fusion did not fold into the layer before) on the device: the CPU's mask stream, its
 * key salted with the layer's field name; backward, the gradient times the mask, in place.
 */
final class DropoutCuda implements CudaLowering<Op.Dropout> {
    static final DropoutCuda LOWERING = new DropoutCuda();

    private DropoutCuda() {
    }

    @Override
    public void kernels(Op.Dropout drop, LayerKernels out) {
        out.append("// (no kernel: a view of its input, or a dropout folded into the layer before)\n");
    }

    @Override
    public void reserve(Op.Dropout drop, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(Op.Dropout drop, DeviceLayer layer) {
        Node node = layer.node();
        layer.dropout(layer.in(), layer.out(), node.out().size(), node.name(), drop.rate());
    }

    @Override
    public void backward(Op.Dropout drop, DeviceLayer layer) {
        layer.dropoutBackward(layer.delta());
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.IN_PLACE;
    }
}
