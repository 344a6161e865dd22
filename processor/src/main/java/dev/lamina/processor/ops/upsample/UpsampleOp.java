package dev.lamina.processor.ops.upsample;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Upsample layer kind. */
public final class UpsampleOp implements OpKind<Op.Upsample> {
    public static final UpsampleOp KIND = new UpsampleOp();

    private UpsampleOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Upsample> java() {
        return UpsampleJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Upsample> cuda() {
        return UpsampleCuda.LOWERING;
    }
}
