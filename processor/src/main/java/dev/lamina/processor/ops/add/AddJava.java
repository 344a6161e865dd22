package dev.lamina.processor.ops.add;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Add layer. */
final class AddJava implements JavaLowering<Op.Add> {
    static final AddJava LOWERING = new AddJava();

    private AddJava() {
    }
}
