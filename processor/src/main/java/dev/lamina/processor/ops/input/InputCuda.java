package dev.lamina.processor.ops.input;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** No CUDA lowering: the network input is not a layer: it has no kernels or steps. */
final class InputCuda implements CudaLowering<Op.Input> {
    static final InputCuda LOWERING = new InputCuda();
    private static final String WHY = "the network input is not a layer: it has no kernels or steps";

    private InputCuda() {
    }

    @Override
    public void kernels(Op.Input op, LayerKernels out) {
        throw new IllegalStateException(WHY);
    }

    @Override
    public void reserve(Op.Input op, Node node, DeviceRegions regions) {
        throw new IllegalStateException(WHY);
    }

    @Override
    public void forward(Op.Input op, DeviceLayer layer) {
        throw new IllegalStateException(WHY);
    }

    @Override
    public void backward(Op.Input op, DeviceLayer layer) {
        throw new IllegalStateException(WHY);
    }

    @Override
    public InputGradient inputGradient() {
        throw new IllegalStateException(WHY);
    }
}
