package dev.lamina.processor.ops.dropout;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Dropout layer kind. */
public final class DropoutOp implements OpKind<Op.Dropout> {
    public static final DropoutOp KIND = new DropoutOp();

    private DropoutOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Dropout> java() {
        return DropoutJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Dropout> cuda() {
        return DropoutCuda.LOWERING;
    }
}
