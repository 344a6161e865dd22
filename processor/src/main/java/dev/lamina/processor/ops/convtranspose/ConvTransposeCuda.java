package dev.lamina.processor.ops.convtranspose;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a ConvTranspose layer. */
final class ConvTransposeCuda implements CudaLowering<Op.ConvTranspose> {
    static final ConvTransposeCuda LOWERING = new ConvTransposeCuda();

    private ConvTransposeCuda() {
    }
}
