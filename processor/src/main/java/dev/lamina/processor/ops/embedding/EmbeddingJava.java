package dev.lamina.processor.ops.embedding;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Embedding layer. */
final class EmbeddingJava implements JavaLowering<Op.Embedding> {
    static final EmbeddingJava LOWERING = new EmbeddingJava();

    private EmbeddingJava() {
    }
}
