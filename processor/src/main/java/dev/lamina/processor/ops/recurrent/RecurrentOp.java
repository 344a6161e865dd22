package dev.lamina.processor.ops.recurrent;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Recurrent layer kind. */
public final class RecurrentOp implements OpKind<Op.Recurrent> {
    public static final RecurrentOp KIND = new RecurrentOp();

    private RecurrentOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Recurrent> java() {
        return RecurrentJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Recurrent> cuda() {
        return RecurrentCuda.LOWERING;
    }
}
