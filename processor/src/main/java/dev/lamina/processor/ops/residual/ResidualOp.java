package dev.lamina.processor.ops.residual;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Residual layer kind. */
public final class ResidualOp implements OpKind<Op.Residual> {
    public static final ResidualOp KIND = new ResidualOp();

    private ResidualOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Residual> java() {
        return ResidualJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Residual> cuda() {
        return ResidualCuda.LOWERING;
    }
}
