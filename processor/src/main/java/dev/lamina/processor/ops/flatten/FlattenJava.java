package dev.lamina.processor.ops.flatten;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Flatten layer. */
final class FlattenJava implements JavaLowering<Op.Flatten> {
    static final FlattenJava LOWERING = new FlattenJava();

    private FlattenJava() {
    }
}
