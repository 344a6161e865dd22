package dev.lamina.processor.ops.flatten;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Flatten layer. */
final class FlattenCuda implements CudaLowering<Op.Flatten> {
    static final FlattenCuda LOWERING = new FlattenCuda();

    private FlattenCuda() {
    }
}
