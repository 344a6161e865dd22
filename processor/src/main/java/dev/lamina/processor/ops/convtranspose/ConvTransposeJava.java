package dev.lamina.processor.ops.convtranspose;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a ConvTranspose layer. */
final class ConvTransposeJava implements JavaLowering<Op.ConvTranspose> {
    static final ConvTransposeJava LOWERING = new ConvTransposeJava();

    private ConvTransposeJava() {
    }
}
