package dev.lamina.processor.ops.residual;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Residual layer. */
final class ResidualJava implements JavaLowering<Op.Residual> {
    static final ResidualJava LOWERING = new ResidualJava();

    private ResidualJava() {
    }
}
