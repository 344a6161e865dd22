package dev.lamina.processor.ops.input;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Input layer kind. */
public final class InputOp implements OpKind<Op.Input> {
    public static final InputOp KIND = new InputOp();

    private InputOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Input> java() {
        return InputJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Input> cuda() {
        return InputCuda.LOWERING;
    }
}
