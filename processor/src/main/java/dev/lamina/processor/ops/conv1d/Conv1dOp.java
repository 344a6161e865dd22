package dev.lamina.processor.ops.conv1d;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Conv1d layer kind. */
public final class Conv1dOp implements OpKind<Op.Conv1d> {
    public static final Conv1dOp KIND = new Conv1dOp();

    private Conv1dOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Conv1d> java() {
        return Conv1dJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Conv1d> cuda() {
        return Conv1dCuda.LOWERING;
    }
}
