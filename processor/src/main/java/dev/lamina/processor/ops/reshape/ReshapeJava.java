package dev.lamina.processor.ops.reshape;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Reshape layer. */
final class ReshapeJava implements JavaLowering<Op.Reshape> {
    static final ReshapeJava LOWERING = new ReshapeJava();

    private ReshapeJava() {
    }
}
