package dev.lamina.processor.emit.java;

/**
 * Internal, not API. How a layer's R-rules spell their GEMM-shaped products in the network's chosen precision
 * ({@code @Network(secondOrderPrecision = ...)}): in float, heap {@code float[]} staging, {@code Memory} blocks and
 * {@code Blas.gemm}, as the gradient's products; in double, {@code double[]}, direct {@code DoubleBuffer}s and
 * {@code Blas.dgemm}. The arrays between layers ({@code R{y}}, the gradients and their R) stay double either way.
 *
 * @param inFloat whether the products run in float
 */
public record ProductArithmetic(boolean inFloat) {
    /** {@return the element type of the products' operands} */
    public String real() {
        return inFloat ? "float" : "double";
    }

    /** {@return the type of a block BLAS reads in place} */
    public String direct() {
        return inFloat ? "dev.lamina.runtime.Memory" : "java.nio.DoubleBuffer";
    }

    /** {@return the {@code Blas} method of the GEMM} */
    public String gemm() {
        return inFloat ? "gemm" : "dgemm";
    }

    /** {@return the literal 1 for a GEMM's alpha or beta} */
    public String one() {
        return inFloat ? "1f" : "1.0";
    }

    /** {@return the literal 0 for a GEMM's beta} */
    public String zero() {
        return inFloat ? "0f" : "0.0";
    }

    /** {@return the buffer through which Java code reads and writes the block {@code direct}} */
    public String view(String direct) {
        return inFloat ? direct + ".floats()" : direct;
    }

    /** {@return the cast that stores a double into an operand ({@code "(float) "} or nothing)} */
    public String narrow() {
        return inFloat ? "(float) " : "";
    }

    /** {@return a worker's scratch block, from the chunk's {@code scratch}} */
    public String scratchDirect(int slot, int size) {
        return "scratch." + (inFloat ? "memory" : "buffer") + "(" + slot + ", " + size + ")";
    }

    /** {@return a worker's scratch array, from the chunk's {@code scratch}} */
    public String scratchArray(int slot, int size) {
        return "scratch." + (inFloat ? "floats" : "get") + "(" + slot + ", " + size + ")";
    }

    /** {@return the calling thread's block that workers read, from the call's {@code SecondOrderChunks}} */
    public String shared(String chunks, int slot, String size) {
        return chunks + "." + (inFloat ? "sharedMemory" : "shared") + "(" + slot + ", " + size + ")";
    }
}
