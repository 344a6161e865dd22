package dev.lamina.processor.ops.concat;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Concat layer kind. */
public final class ConcatOp implements OpKind<Op.Concat> {
    public static final ConcatOp KIND = new ConcatOp();

    private ConcatOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Concat> java() {
        return ConcatJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Concat> cuda() {
        return ConcatCuda.LOWERING;
    }
}
