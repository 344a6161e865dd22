package dev.lamina.processor.ops.batchnorm;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a BatchNorm layer. */
final class BatchNormJava implements JavaLowering<Op.BatchNorm> {
    static final BatchNormJava LOWERING = new BatchNormJava();

    private BatchNormJava() {
    }
}
