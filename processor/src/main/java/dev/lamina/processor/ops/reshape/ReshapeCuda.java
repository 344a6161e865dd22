package dev.lamina.processor.ops.reshape;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** A reshape on the device: a view of its input's region (the values keep their order), so no step. */
final class ReshapeCuda implements CudaLowering<Op.Reshape> {
    static final ReshapeCuda LOWERING = new ReshapeCuda();

    private ReshapeCuda() {
    }

    @Override
    public void kernels(Op.Reshape op, LayerKernels out) {
        out.append("// (no kernel: a view of its input)\n");
    }

    @Override
    public void reserve(Op.Reshape op, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(Op.Reshape op, DeviceLayer layer) {
    }

    @Override
    public void backward(Op.Reshape op, DeviceLayer layer) {
        // the gradient at the input is the one at the output, in the same place
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.IN_PLACE;
    }
}
