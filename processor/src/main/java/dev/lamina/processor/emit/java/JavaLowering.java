package dev.lamina.processor.emit.java;

import dev.lamina.processor.graph.Op;

/**
 * The Java code of one op kind; each kind's package under {@code ops/} has one.
 *
 * @param <T> the IR record it lowers
 */
public interface JavaLowering<T extends Op> {
}
