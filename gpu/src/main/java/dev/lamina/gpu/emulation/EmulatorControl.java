package dev.lamina.gpu.emulation;

import jcuda.driver.CUdeviceptr;

/**
 * Internal, not API: the CUDA emulation's settings and findings, for tests; it may change in any release.
 *
 * <p>Native methods of the emulated driver ({@code driver.cpp}), so they exist only once {@link CudaEmulation#load()}
 * has loaded it; calling one before is an {@link UnsatisfiedLinkError}, and {@link #available()} says whether it is
 * safe.
 */
public final class EmulatorControl {
    /** A block's threads run in index order between barriers. */
    public static final int IN_ORDER = 0;
    /** A block's threads run in reverse index order between barriers. */
    public static final int REVERSED = 1;
    /** A block's threads run in a new seeded permutation in each phase between barriers. */
    public static final int SHUFFLED = 2;

    private EmulatorControl() {
    }

    /** {@return whether the emulation is loaded in this process, so that these methods can be called} */
    public static boolean available() {
        return CudaEmulation.isLoaded();
    }

    /**
     * Sets the order in which a block's threads run between two barriers.
     *
     * @param order {@link #IN_ORDER}, {@link #REVERSED} or {@link #SHUFFLED}
     * @param seed the permutations' seed, for {@link #SHUFFLED}
     */
    public static native void setThreadOrder(int order, long seed);

    /**
     * Sets how many OS threads run a grid's blocks.
     *
     * @param workers at least 1
     */
    public static native void setWorkers(int workers);

    /**
     * Turns the race check on or off: with it on, every launch runs twice from the same memory, in two thread
     * orders, and a kernel without atomics whose results differ is recorded in {@link #raceReport()}.
     *
     * @param on whether to check
     */
    public static native void setRaceCheck(boolean on);

    /** {@return the race check's findings since the last {@link #clearRaceReport()}, one per line; empty if none} */
    public static native String raceReport();

    /** Forgets the race check's findings. */
    public static native void clearRaceReport();

    /** {@return how many kernels have run since the emulation was loaded} */
    public static native long launches();

    /**
     * {@return the device address {@code pointer} holds (with the offset of {@code withByteOffset}), for
     * {@link #guard}}
     *
     * @param pointer a device pointer
     */
    public static native long address(CUdeviceptr pointer);

    /**
     * Makes {@code bytes} from {@code address}, inside one allocation, a guard between regions: it is filled with a
     * canary (a signalling NaN in every 4-byte word), and a launch that leaves it changed fails with
     * {@code CUDA_ERROR_ILLEGAL_ADDRESS}, naming the kernel, the guard and how far past the region before it the
     * write landed; the canary is then restored. Host copies and memsets over a guard re-fill it instead. A
     * kernel's read of a guard is not detected (it reads NaNs). The guard goes when its allocation is freed.
     *
     * @param address the guard's first byte, 4-byte aligned
     * @param bytes its size, a multiple of 4 above 0
     * @throws IllegalArgumentException when the range is not inside one allocation, is not whole 4-byte words, or
     *                                  overlaps another guard
     */
    public static native void guard(long address, long bytes);

    /**
     * Removes the guard that starts at {@code address}; its bytes keep the canary until something writes them.
     *
     * @param address the start given to {@link #guard}
     * @throws IllegalArgumentException when no guard starts there (an allocation's guards went when it was freed)
     */
    public static native void unguard(long address);

    /** {@return the detail of the last error on the calling thread, or an empty string} */
    public static native String lastError();
}
