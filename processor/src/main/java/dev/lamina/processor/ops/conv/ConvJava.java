package dev.lamina.processor.ops.conv;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Conv layer. */
final class ConvJava implements JavaLowering<Op.Conv> {
    static final ConvJava LOWERING = new ConvJava();

    private ConvJava() {
    }
}
