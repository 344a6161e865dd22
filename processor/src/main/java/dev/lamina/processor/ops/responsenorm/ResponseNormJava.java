package dev.lamina.processor.ops.responsenorm;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a ResponseNorm layer. */
final class ResponseNormJava implements JavaLowering<Op.ResponseNorm> {
    static final ResponseNormJava LOWERING = new ResponseNormJava();

    private ResponseNormJava() {
    }
}
