package dev.lamina.processor.ops.conv;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Conv layer kind. */
public final class ConvOp implements OpKind<Op.Conv> {
    public static final ConvOp KIND = new ConvOp();

    private ConvOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Conv> java() {
        return ConvJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Conv> cuda() {
        return ConvCuda.LOWERING;
    }
}
