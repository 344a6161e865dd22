package dev.lamina.processor.ops.residual;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** No CUDA lowering: shape inference expands a residual block into its layers before lowering. */
final class ResidualCuda implements CudaLowering<Op.Residual> {
    static final ResidualCuda LOWERING = new ResidualCuda();
    private static final String WHY = "shape inference expands a residual block into its layers before lowering";

    private ResidualCuda() {
    }

    @Override
    public void kernels(Op.Residual op, LayerKernels out) {
        throw new IllegalStateException(WHY);
    }

    @Override
    public void reserve(Op.Residual op, Node node, DeviceRegions regions) {
        throw new IllegalStateException(WHY);
    }

    @Override
    public void forward(Op.Residual op, DeviceLayer layer) {
        throw new IllegalStateException(WHY);
    }

    @Override
    public void backward(Op.Residual op, DeviceLayer layer) {
        throw new IllegalStateException(WHY);
    }

    @Override
    public InputGradient inputGradient() {
        throw new IllegalStateException(WHY);
    }
}
