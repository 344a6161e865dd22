package dev.lamina.processor.ops.layernorm;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The LayerNorm layer kind. */
public final class LayerNormOp implements OpKind<Op.LayerNorm> {
    public static final LayerNormOp KIND = new LayerNormOp();

    private LayerNormOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.LayerNorm> java() {
        return LayerNormJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.LayerNorm> cuda() {
        return LayerNormCuda.LOWERING;
    }
}
