package dev.lamina.processor.ops.pool;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Pool layer kind. */
public final class PoolOp implements OpKind<Op.Pool> {
    public static final PoolOp KIND = new PoolOp();

    private PoolOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Pool> java() {
        return PoolJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Pool> cuda() {
        return PoolCuda.LOWERING;
    }
}
