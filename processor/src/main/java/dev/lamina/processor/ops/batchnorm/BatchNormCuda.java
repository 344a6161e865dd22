package dev.lamina.processor.ops.batchnorm;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a BatchNorm layer. */
final class BatchNormCuda implements CudaLowering<Op.BatchNorm> {
    static final BatchNormCuda LOWERING = new BatchNormCuda();

    private BatchNormCuda() {
    }
}
