package dev.lamina.processor.ops.input;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Input layer. */
final class InputJava implements JavaLowering<Op.Input> {
    static final InputJava LOWERING = new InputJava();

    private InputJava() {
    }
}
