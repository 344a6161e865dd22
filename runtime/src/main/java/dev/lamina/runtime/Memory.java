package dev.lamina.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A block of off-heap floats, seen both by Java loops (a direct {@link FloatBuffer}) and by OpenBLAS (a
 * {@link FloatPointer} to the same bytes). Everything a network computes on lives in such blocks: JavaCPP copies a
 * Java {@code float[]} in and out on every native call, which would cost more than the GEMM itself.
 */
public final class Memory {
    private static final float[] ZEROS = new float[4096];
    private final FloatBuffer floats;
    /**
     * One pointer per GEMM operand (A, B, C), since one call may pass the same block twice at two offsets, and per
     * thread, since workers call BLAS on the same block at once and a pointer's position is mutable.
     */
    private final ThreadLocal<FloatPointer[]> operands;

    private Memory(int size) {
        floats = ByteBuffer.allocateDirect(Math.multiplyExact(Math.max(size, 1), Float.BYTES))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        operands = ThreadLocal.withInitial(
                () -> new FloatPointer[] {new FloatPointer(floats), new FloatPointer(floats), new FloatPointer(floats)});
    }

    /**
     * {@return a zeroed block of {@code size} floats}
     *
     * @param size the size in floats; at least 0
     */
    public static Memory allocate(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        return new Memory(size);
    }

    /**
     * {@return the block as a direct buffer, indexed from 0 in floats (absolute gets and puts; its position is not
     * used)}
     */
    public FloatBuffer floats() {
        return floats;
    }

    /**
     * This thread's pointer for GEMM operand {@code operand} (0, 1, 2 for A, B, C) moved to {@code offset}; only
     * the BLAS door uses it, right away.
     */
    FloatPointer at(int operand, int offset) {
        if (offset < 0 || offset > floats.capacity()) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside a block of " + floats.capacity());
        }
        return operands.get()[operand].position(offset);
    }

    /** {@return capacity of the block in floats} */
    public int size() {
        return floats.capacity();
    }

    /**
     * Zeroes {@code count} floats from {@code offset}.
     *
     * @param offset the first float cleared
     * @param count how many floats
     */
    public void clear(int offset, int count) {
        if (offset < 0 || count < 0 || offset + count > floats.capacity()) {
            throw new IndexOutOfBoundsException("floats [" + offset + ", " + (offset + count) + ") outside a block of "
                    + floats.capacity());
        }
        // bulk copies of a zero block (Pointer.memset would take the pointer's position in bytes, not floats)
        for (int done = 0; done < count; done += ZEROS.length) {
            floats.put(offset + done, ZEROS, 0, Math.min(ZEROS.length, count - done));
        }
    }

    /**
     * Sets every float of the block to {@code value}.
     *
     * @param value the value written
     */
    public void fill(float value) {
        for (int i = 0, n = floats.capacity(); i < n; i++) {
            floats.put(i, value);
        }
    }

    /** {@return a copy of the whole block on the heap} */
    public float[] toArray() {
        float[] out = new float[floats.capacity()];
        floats.get(0, out);
        return out;
    }
}
