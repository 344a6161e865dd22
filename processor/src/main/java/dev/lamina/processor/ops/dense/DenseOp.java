package dev.lamina.processor.ops.dense;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Dense layer kind. */
public final class DenseOp implements OpKind<Op.Dense> {
    public static final DenseOp KIND = new DenseOp();

    private DenseOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Dense> java() {
        return DenseJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Dense> cuda() {
        return DenseCuda.LOWERING;
    }
}
