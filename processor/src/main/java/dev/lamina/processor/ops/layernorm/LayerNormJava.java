package dev.lamina.processor.ops.layernorm;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a LayerNorm layer. */
final class LayerNormJava implements JavaLowering<Op.LayerNorm> {
    static final LayerNormJava LOWERING = new LayerNormJava();

    private LayerNormJava() {
    }
}
