package dev.lamina.processor.ops.embedding;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Embedding layer kind. */
public final class EmbeddingOp implements OpKind<Op.Embedding> {
    public static final EmbeddingOp KIND = new EmbeddingOp();

    private EmbeddingOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Embedding> java() {
        return EmbeddingJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Embedding> cuda() {
        return EmbeddingCuda.LOWERING;
    }
}
