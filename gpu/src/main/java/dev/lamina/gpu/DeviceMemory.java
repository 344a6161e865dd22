package dev.lamina.gpu;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;

import dev.lamina.gpu.emulation.EmulatorControl;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>One allocation of device floats. A network takes one for everything it keeps on the device (parameters,
 * gradients, optimizer state, the activation arena) and addresses regions of it by float offset, as the CPU
 * path addresses its arena.
 */
public final class DeviceMemory implements AutoCloseable {
    private final CudaDevice device;
    private final CUdeviceptr base = new CUdeviceptr();
    private final long floats;
    private boolean freed;

    DeviceMemory(CudaDevice device, long floats) {
        if (floats <= 0) {
            throw new IllegalArgumentException("device memory of " + floats + " floats asked for: need at least 1");
        }
        this.device = device;
        this.floats = floats;
        cuMemAlloc(base, floats * Sizeof.FLOAT);
    }

    /** {@return size of the allocation in floats} */
    public long floats() {
        return floats;
    }

    /**
     * {@return the device address of float {@code offset}, for a kernel argument}
     *
     * @param offset the float's index in the allocation
     */
    public CUdeviceptr at(long offset) {
        check(offset, 0);
        return base.withByteOffset(offset * Sizeof.FLOAT);
    }

    /**
     * Copies {@code count} floats from {@code src[from]} to float {@code offset}, and waits.
     *
     * @param src the host array
     * @param from the first float read from {@code src}
     * @param offset the first float written here
     * @param count how many floats
     */
    public void upload(float[] src, int from, long offset, int count) {
        check(offset, count);
        cuMemcpyHtoD(at(offset), Pointer.to(src).withByteOffset((long) from * Sizeof.FLOAT),
                (long) count * Sizeof.FLOAT);
    }

    /**
     * Copies {@code count} floats from float {@code offset} to {@code dst[to]}, and waits.
     *
     * @param offset the first float read here
     * @param dst the host array
     * @param to the first float written in {@code dst}
     * @param count how many floats
     */
    public void download(long offset, float[] dst, int to, int count) {
        check(offset, count);
        device.synchronize();
        cuMemcpyDtoH(Pointer.to(dst).withByteOffset((long) to * Sizeof.FLOAT), at(offset),
                (long) count * Sizeof.FLOAT);
    }

    /**
     * Queues a copy of {@code count} floats from a pinned buffer: it overlaps with the kernels queued before it.
     *
     * @param src the pinned buffer
     * @param from the first float read from {@code src}
     * @param offset the first float written here
     * @param count how many floats
     */
    public void uploadAsync(PinnedBuffer src, int from, long offset, int count) {
        check(offset, count);
        cuMemcpyHtoDAsync(at(offset), src.pointer().withByteOffset((long) from * Sizeof.FLOAT),
                (long) count * Sizeof.FLOAT, device.stream());
    }

    /**
     * Queues a copy of {@code count} floats into a pinned buffer.
     *
     * @param offset the first float read here
     * @param dst the pinned buffer
     * @param to the first float written in {@code dst}
     * @param count how many floats
     */
    public void downloadAsync(long offset, PinnedBuffer dst, int to, int count) {
        check(offset, count);
        cuMemcpyDtoHAsync(dst.pointer().withByteOffset((long) to * Sizeof.FLOAT), at(offset),
                (long) count * Sizeof.FLOAT, device.stream());
    }

    /**
     * Queues zeroing {@code count} floats from {@code offset}.
     *
     * @param offset the first float cleared
     * @param count how many floats
     */
    public void clear(long offset, long count) {
        check(offset, count);
        cuMemsetD32Async(at(offset), 0, count, device.stream());
    }

    /**
     * Queues a copy of {@code count} floats from {@code from} here to {@code to} in another block.
     *
     * @param from the first float read here
     * @param target the block written
     * @param to the first float written in {@code target}
     * @param count how many floats
     */
    public void copyTo(long from, DeviceMemory target, long to, long count) {
        check(from, count);
        target.check(to, count);
        cuMemcpyDtoDAsync(target.at(to), at(from), count * Sizeof.FLOAT, device.stream());
    }

    /**
     * Queues a copy of {@code count} floats from {@code from} to {@code to}, both in this block.
     *
     * @param from the first float read
     * @param to the first float written
     * @param count how many floats
     */
    public void copy(long from, long to, long count) {
        check(from, count);
        check(to, count);
        cuMemcpyDtoDAsync(at(to), at(from), count * Sizeof.FLOAT, device.stream());
    }

    /**
     * On the CUDA emulation, makes floats {@code [offset, offset + count)} a guard between two regions, which a
     * kernel that writes it fails ({@link EmulatorControl#guard}); on a device, nothing.
     *
     * @param offset the guard's first float
     * @param count how many floats
     */
    void guard(long offset, long count) {
        check(offset, count);
        if (count > 0 && Cuda.emulated()) {
            EmulatorControl.guard(EmulatorControl.address(at(offset)), count * Sizeof.FLOAT);
        }
    }

    private void check(long offset, long count) {
        if (freed) {
            throw new IllegalStateException("device memory used after close()");
        }
        if (offset < 0 || count < 0 || offset + count > floats) {
            throw new IndexOutOfBoundsException("floats [" + offset + ", " + (offset + count)
                    + ") outside a device block of " + floats);
        }
    }

    @Override
    public void close() {
        if (!freed) {
            freed = true;
            cuMemFree(base);
        }
    }
}
