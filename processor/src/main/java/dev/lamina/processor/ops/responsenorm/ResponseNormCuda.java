package dev.lamina.processor.ops.responsenorm;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a ResponseNorm layer. */
final class ResponseNormCuda implements CudaLowering<Op.ResponseNorm> {
    static final ResponseNormCuda LOWERING = new ResponseNormCuda();

    private ResponseNormCuda() {
    }
}
