package dev.lamina.processor.ops;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;

/**
 * Everything the processor knows about one kind of layer, in one place: how its annotation is read, its shape
 * rule and checks, its parameters and memory, and its lowerings to Java and to CUDA. Each kind is a package under
 * {@code ops/} ({@code ops/dense/}: {@code DenseOp}, {@code DenseJava}, {@code DenseCuda}); {@link OpKinds} maps
 * an {@link Op} to its kind through {@link Op.Visitor}, so a kind without a lowering does not compile.
 *
 * @param <T> the IR record the kind reads and lowers
 */
public interface OpKind<T extends Op> {
    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    /** The Java code of a layer of this kind. */
    JavaLowering<T> java();

    /** The CUDA code and device-program steps of a layer of this kind. */
    CudaLowering<T> cuda();
}
