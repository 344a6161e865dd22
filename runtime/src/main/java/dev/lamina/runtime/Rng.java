package dev.lamina.runtime;

/**
 * A small, fast, seedable generator (SplitMix64) for initialisation, dropout masks and shuffling. Same seed,
 * same sequence, on every machine: that is what makes training runs bitwise reproducible.
 */
public final class Rng {
    private long state;
    private double spareGaussian = Double.NaN;

    /**
     * A generator whose sequence is fixed by {@code seed} (any value, 0 included).
     *
     * @param seed any value
     */
    public Rng(long seed) {
        this.state = seed;
    }

    /**
     * {@return the generator's whole state, its counter and the spare Gaussian draw's bits (NaN's when none): a
     * generator given it by {@link #restoreState} continues this one's sequence exactly (a training checkpoint
     * keeps the shuffle's this way)}
     */
    public long[] saveState() {
        return new long[] {state, Double.doubleToRawLongBits(spareGaussian)};
    }

    /**
     * Continues the sequence of the generator whose {@link #saveState} gave {@code saved}.
     *
     * @param saved two longs from {@link #saveState}
     * @throws IllegalArgumentException when {@code saved} is not two longs
     */
    public void restoreState(long[] saved) {
        if (saved == null || saved.length != 2) {
            throw new IllegalArgumentException("expected a generator state of 2 longs (counter, spare Gaussian), found "
                    + (saved == null ? "null" : saved.length + " longs"));
        }
        state = saved[0];
        spareGaussian = Double.longBitsToDouble(saved[1]);
    }

    /** {@return the next 64 uniformly distributed bits} */
    public long nextLong() {
        return mix(state += 0x9E3779B97F4A7C15L);
    }

    /**
     * SplitMix64's finaliser: a well-mixed 64-bit hash of {@code z}.
     *
     * @param z the value hashed
     * @return the hash
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Uniform in [0, 1), a pure function of {@code key} and {@code counter}: the counter-based draws dropout uses,
     * so that any worker can draw element {@code counter}'s value without the ones before it.
     *
     * @param key the stream's key (a dropout seed and layer)
     * @param counter the element's number in the stream
     * @return the draw
     */
    public static float uniform(long key, long counter) {
        return (mix(key + 0x9E3779B97F4A7C15L * counter) >>> 40) * 0x1.0p-24f;
    }

    /**
     * Uniform in [0, 1) with 24 random bits.
     *
     * @return the draw
     */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /**
     * Uniform in [0, 1), with 53 random bits.
     *
     * @return the draw
     */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform in [0, bound).
     *
     * @param bound the exclusive upper bound; positive
     * @return the draw
     */
    public int nextInt(int bound) {
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /**
     * Standard normal, by the Box-Muller transform.
     *
     * @return the draw
     */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        return r * Math.cos(2 * Math.PI * u2);
    }

    /**
     * Fisher-Yates shuffle of the whole array.
     *
     * @param values the array shuffled in place
     */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
