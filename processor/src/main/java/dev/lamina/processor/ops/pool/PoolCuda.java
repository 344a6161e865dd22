package dev.lamina.processor.ops.pool;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Pool layer. */
final class PoolCuda implements CudaLowering<Op.Pool> {
    static final PoolCuda LOWERING = new PoolCuda();

    private PoolCuda() {
    }
}
