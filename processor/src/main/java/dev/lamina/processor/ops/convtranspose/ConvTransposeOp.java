package dev.lamina.processor.ops.convtranspose;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The ConvTranspose layer kind. */
public final class ConvTransposeOp implements OpKind<Op.ConvTranspose> {
    public static final ConvTransposeOp KIND = new ConvTransposeOp();

    private ConvTransposeOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.ConvTranspose> java() {
        return ConvTransposeJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.ConvTranspose> cuda() {
        return ConvTransposeCuda.LOWERING;
    }
}
