package dev.lamina.processor.ops.dense;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Dense layer. */
final class DenseJava implements JavaLowering<Op.Dense> {
    static final DenseJava LOWERING = new DenseJava();

    private DenseJava() {
    }
}
