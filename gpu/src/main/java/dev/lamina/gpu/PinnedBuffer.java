package dev.lamina.gpu;

import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jcuda.Pointer;
import jcuda.Sizeof;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>Page-locked host floats: the only host memory the driver copies from asynchronously, so the next batch can
 * travel to the device while this one trains. Java fills it through {@link #floats()}.
 */
public final class PinnedBuffer implements AutoCloseable {
    private final Pointer pointer = new Pointer();
    private final FloatBuffer floats;
    private boolean freed;

    PinnedBuffer(int floats) {
        if (floats <= 0) {
            throw new IllegalArgumentException("a pinned buffer of " + floats + " floats asked for: need at least 1");
        }
        cuMemAllocHost(pointer, (long) floats * Sizeof.FLOAT);
        this.floats = pointer.getByteBuffer(0, (long) floats * Sizeof.FLOAT).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /** {@return the buffer as Java sees it, indexed from 0 in floats; write the next upload here} */
    public FloatBuffer floats() {
        return floats;
    }

    Pointer pointer() {
        return pointer;
    }

    @Override
    public void close() {
        if (!freed) {
            freed = true;
            cuMemFreeHost(pointer);
        }
    }
}
