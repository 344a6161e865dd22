package dev.lamina.processor.ops.batchnorm;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The BatchNorm layer kind. */
public final class BatchNormOp implements OpKind<Op.BatchNorm> {
    public static final BatchNormOp KIND = new BatchNormOp();

    private BatchNormOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.BatchNorm> java() {
        return BatchNormJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.BatchNorm> cuda() {
        return BatchNormCuda.LOWERING;
    }
}
