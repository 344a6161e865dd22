package dev.lamina.processor.ops.flatten;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** A flatten on the device: a view of its input (channels last, the values already in order), so no step. */
final class FlattenCuda implements CudaLowering<Op.Flatten> {
    static final FlattenCuda LOWERING = new FlattenCuda();

    private FlattenCuda() {
    }

    @Override
    public void kernels(Op.Flatten f, LayerKernels out) {
        out.append("// (no kernel: a view of its input, or a dropout folded into the layer before)\n");
    }

    @Override
    public void reserve(Op.Flatten f, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(Op.Flatten f, DeviceLayer layer) {
    }

    @Override
    public void backward(Op.Flatten f, DeviceLayer layer) {
        // nothing moves: the gradient at the input is the one at the output
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.IN_PLACE;
    }
}
