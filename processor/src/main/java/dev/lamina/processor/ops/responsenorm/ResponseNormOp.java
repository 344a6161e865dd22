package dev.lamina.processor.ops.responsenorm;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The ResponseNorm layer kind. */
public final class ResponseNormOp implements OpKind<Op.ResponseNorm> {
    public static final ResponseNormOp KIND = new ResponseNormOp();

    private ResponseNormOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.ResponseNorm> java() {
        return ResponseNormJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.ResponseNorm> cuda() {
        return ResponseNormCuda.LOWERING;
    }
}
