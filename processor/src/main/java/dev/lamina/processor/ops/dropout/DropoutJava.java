package dev.lamina.processor.ops.dropout;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Dropout layer. */
final class DropoutJava implements JavaLowering<Op.Dropout> {
    static final DropoutJava LOWERING = new DropoutJava();

    private DropoutJava() {
    }
}
