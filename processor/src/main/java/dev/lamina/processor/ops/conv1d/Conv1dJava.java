package dev.lamina.processor.ops.conv1d;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Conv1d layer. */
final class Conv1dJava implements JavaLowering<Op.Conv1d> {
    static final Conv1dJava LOWERING = new Conv1dJava();

    private Conv1dJava() {
    }
}
