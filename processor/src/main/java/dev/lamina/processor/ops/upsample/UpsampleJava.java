package dev.lamina.processor.ops.upsample;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Upsample layer. */
final class UpsampleJava implements JavaLowering<Op.Upsample> {
    static final UpsampleJava LOWERING = new UpsampleJava();

    private UpsampleJava() {
    }
}
