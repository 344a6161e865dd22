package dev.lamina.processor.ops.residual;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Residual layer. */
final class ResidualCuda implements CudaLowering<Op.Residual> {
    static final ResidualCuda LOWERING = new ResidualCuda();

    private ResidualCuda() {
    }
}
