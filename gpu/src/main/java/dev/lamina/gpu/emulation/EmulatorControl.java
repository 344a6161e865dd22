package dev.lamina.gpu.emulation;

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

    /** {@return the detail of the last error on the calling thread, or an empty string} */
    public static native String lastError();
}
