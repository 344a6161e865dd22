package dev.lamina.processor.emit.cuda;

import dev.lamina.processor.graph.Op;

/**
 * The CUDA kernels and device-program steps of one op kind; each kind's package under {@code ops/} has one.
 *
 * @param <T> the IR record it lowers
 */
public interface CudaLowering<T extends Op> {
}
