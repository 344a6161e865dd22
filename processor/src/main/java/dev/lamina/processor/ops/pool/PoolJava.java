package dev.lamina.processor.ops.pool;

import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Pool layer. */
final class PoolJava implements JavaLowering<Op.Pool> {
    static final PoolJava LOWERING = new PoolJava();

    private PoolJava() {
    }
}
