package dev.lamina.processor.ops.concat;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Concat layer. */
final class ConcatCuda implements CudaLowering<Op.Concat> {
    static final ConcatCuda LOWERING = new ConcatCuda();

    private ConcatCuda() {
    }
}
