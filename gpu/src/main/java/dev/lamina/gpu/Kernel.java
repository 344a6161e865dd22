package dev.lamina.gpu;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>One kernel of a module, launched on its device's stream. Arguments are device addresses
 * ({@link DeviceMemory#at}), {@code Integer}s, {@code Long}s (64-bit parameters) and {@code Float}s, in the kernel's
 * parameter order.
 */
public final class Kernel {
    private final CudaDevice device;
    private final String name;
    private final CUfunction function;

    Kernel(CudaDevice device, String name, CUfunction function) {
        this.device = device;
        this.name = name;
        this.function = function;
    }

    /** {@return the kernel's {@code extern "C"} name in its module} */
    public String name() {
        return name;
    }

    /**
     * Queues one launch of {@code blocks} blocks of {@code threads} threads (one dimension each).
     *
     * @param blocks the grid's size in blocks
     * @param threads threads per block
     * @param args the kernel's arguments, in its parameter order
     */
    public void launch(int blocks, int threads, Object... args) {
        launch(blocks, 1, threads, 1, 0, args);
    }

    /**
     * Queues one launch on a two-dimensional grid of two-dimensional blocks, with dynamic shared memory.
     *
     * @param blocksX the grid's width in blocks
     * @param blocksY the grid's height in blocks
     * @param threadsX the block's width in threads
     * @param threadsY the block's height in threads
     * @param sharedBytes dynamic shared memory per block, in bytes
     * @param args the kernel's arguments, in its parameter order
     */
    public void launch(int blocksX, int blocksY, int threadsX, int threadsY, int sharedBytes, Object... args) {
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof CUdeviceptr p) {
                params[i] = Pointer.to(p);
            } else if (a instanceof Integer v) {
                params[i] = Pointer.to(new int[] {v});
            } else if (a instanceof Long v) {
                params[i] = Pointer.to(new long[] {v});
            } else if (a instanceof Float v) {
                params[i] = Pointer.to(new float[] {v});
            } else {
                throw new IllegalArgumentException("argument " + i + " of kernel " + name + " is a "
                        + (a == null ? "null" : a.getClass().getName())
                        + ": pass a device address (DeviceMemory.at), an Integer, a Long or a Float");
            }
        }
        try {
            cuLaunchKernel(function, blocksX, blocksY, 1, threadsX, threadsY, 1, sharedBytes, device.stream(),
                    Pointer.to(params), null);
        } catch (CudaException e) {
            throw Cuda.explained(e);
        }
    }
}
