package dev.lamina.runtime.analysis;

/**
 * The Gram matrix of one sample's feature maps, what style transfer matches (Gatys et al. 2016): for maps
 * {@code F} of {@code channels x positions} (channels first, as {@link dev.lamina.runtime.LayerOutput} gives
 * them), {@code G[c][d] = sum_p F[c][p] F[d][p] / positions}, the channels' co-activations averaged over the
 * image (so images of different sizes compare). Accumulated in double.
 */
public final class GramMatrix {
    private GramMatrix() {
    }

    /**
     * {@return the {@code channels x channels} Gram matrix (row-major) of the maps at {@code features[offset, offset +
     * channels * positions)}}
     *
     * @param features the array holding the maps, channels first
     * @param offset where the maps start
     * @param channels the number of maps
     * @param positions the values per map
     * @throws IllegalArgumentException when a size is not positive or the array is too short
     */
    public static double[] of(float[] features, int offset, int channels, int positions) {
        if (channels < 1 || positions < 1) {
            throw new IllegalArgumentException("expected positive channels and positions, found " + channels + " x "
                    + positions);
        }
        if (offset < 0 || features.length - offset < (long) channels * positions) {
            throw new IllegalArgumentException("expected " + channels + " x " + positions + " values from offset "
                    + offset + ", found an array of " + features.length);
        }
        double[] gram = new double[channels * channels];
        for (int c = 0; c < channels; c++) {
            for (int d = c; d < channels; d++) {
                double sum = 0;
                int a = offset + c * positions;
                int b = offset + d * positions;
                for (int p = 0; p < positions; p++) {
                    sum += (double) features[a + p] * features[b + p];
                }
                gram[c * channels + d] = sum / positions;
                gram[d * channels + c] = sum / positions;
            }
        }
        return gram;
    }

    /**
     * {@return the mean squared difference of two Gram matrices (or any two arrays of one length)}
     *
     * @param a one matrix
     * @param b the other, of the same length
     */
    public static double meanSquaredDifference(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("expected two non-empty matrices of one size, found " + a.length
                    + " and " + b.length + " entries");
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return sum / a.length;
    }
}
