package dev.lamina.runtime.pictures;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Tensor;
import java.util.Arrays;

/**
 * A convolution's filters as pictures: the weights, stored {@code [filters, kh, kw, channels]} (channels last,
 * {@link Tensor}), turned channels first for {@link ImageGrid}. A first layer over grey or RGB input gives one tile
 * per filter; over any other number of channels, one grey tile per filter and channel, a row per filter.
 */
public final class Filters {
    private Filters() {
    }

    /**
     * {@return the filters of {@code layer}, a {@code @Conv}, as a grid (each tile scaled to its own range; set
     * {@link ImageGrid#range} for a shared one)}
     *
     * @param layer a convolution layer
     * @throws IllegalArgumentException when {@code layer} is not a 2-D convolution
     */
    public static ImageGrid grid(Layer layer) {
        if (!layer.kind().equals("Conv")) {
            throw new IllegalArgumentException("expected a Conv layer for filter pictures, found layer '"
                    + layer.name() + "' of kind " + layer.kind());
        }
        Tensor weights = layer.weights();
        int[] s = weights.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("expected convolution weights [filters, kh, kw, channels], found "
                    + weights.name() + " of shape " + Arrays.toString(s));
        }
        int filters = s[0];
        int channels = s[3];
        float[] images = channelsFirst(weights);
        if (channels == 1 || channels == 3) {
            return ImageGrid.of(images, filters, channels, s[1], s[2]).columns(Math.min(filters, 16));
        }
        return ImageGrid.of(images, filters * channels, 1, s[1], s[2]).columns(channels);
    }

    /** The weights {@code [filters, kh, kw, channels]} as {@code [filters, channels, kh, kw]}. */
    static float[] channelsFirst(Tensor weights) {
        int[] s = weights.shape();
        int filters = s[0];
        int kh = s[1];
        int kw = s[2];
        int channels = s[3];
        float[] out = new float[weights.length()];
        for (int f = 0; f < filters; f++) {
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    for (int c = 0; c < channels; c++) {
                        out[((f * channels + c) * kh + y) * kw + x] = weights.get(((f * kh + y) * kw + x) * channels + c);
                    }
                }
            }
        }
        return out;
    }
}
