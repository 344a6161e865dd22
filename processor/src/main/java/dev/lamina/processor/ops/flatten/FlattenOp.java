package dev.lamina.processor.ops.flatten;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Flatten layer kind. */
public final class FlattenOp implements OpKind<Op.Flatten> {
    public static final FlattenOp KIND = new FlattenOp();

    private FlattenOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Flatten> java() {
        return FlattenJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Flatten> cuda() {
        return FlattenCuda.LOWERING;
    }
}
