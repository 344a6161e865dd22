package dev.lamina.processor.ops.dropout;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Dropout layer. */
final class DropoutCuda implements CudaLowering<Op.Dropout> {
    static final DropoutCuda LOWERING = new DropoutCuda();

    private DropoutCuda() {
    }
}
