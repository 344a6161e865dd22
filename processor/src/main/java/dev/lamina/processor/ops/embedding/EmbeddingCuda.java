package dev.lamina.processor.ops.embedding;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Embedding layer. */
final class EmbeddingCuda implements CudaLowering<Op.Embedding> {
    static final EmbeddingCuda LOWERING = new EmbeddingCuda();

    private EmbeddingCuda() {
    }
}
