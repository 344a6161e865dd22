package dev.lamina.processor.ops.concat;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Concat layer. */
final class ConcatJava implements JavaLowering<Op.Concat> {
    static final ConcatJava LOWERING = new ConcatJava();

    private ConcatJava() {
    }
}
