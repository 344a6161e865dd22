package dev.lamina.processor.ops.dense;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Dense layer. */
final class DenseCuda implements CudaLowering<Op.Dense> {
    static final DenseCuda LOWERING = new DenseCuda();

    private DenseCuda() {
    }
}
