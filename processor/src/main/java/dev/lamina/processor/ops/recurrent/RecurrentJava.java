package dev.lamina.processor.ops.recurrent;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Recurrent layer. */
final class RecurrentJava implements JavaLowering<Op.Recurrent> {
    static final RecurrentJava LOWERING = new RecurrentJava();

    private RecurrentJava() {
    }
}
