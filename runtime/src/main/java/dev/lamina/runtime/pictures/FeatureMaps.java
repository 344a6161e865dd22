package dev.lamina.runtime.pictures;

import dev.lamina.runtime.LayerOutput;
import java.util.Arrays;

/**
 * Every channel of an image layer's output for one sample, each as a grey tile: what a convolution "sees" in one
 * input. Read from a {@link LayerOutput} (so after a forward pass, before the next one).
 */
public final class FeatureMaps {
    private FeatureMaps() {
    }

    /**
     * {@return the feature maps of row {@code row} of {@code output}, one tile per channel, each scaled to its own
     * range}
     *
     * @param output an image layer's output
     * @param row the row, from 0
     * @throws IllegalArgumentException when the output is not an image {@code [channels, height, width]}
     */
    public static ImageGrid grid(LayerOutput output, int row) {
        int[] shape = output.shape();
        if (shape.length != 3) {
            throw new IllegalArgumentException("expected an image output [channels, height, width] for feature"
                    + " maps, found layer '" + output.layer().name() + "' with " + Arrays.toString(shape));
        }
        if (row < 0 || row >= output.rows()) {
            throw new IllegalArgumentException("expected a row in [0, " + output.rows() + ") of layer '"
                    + output.layer().name() + "''s output, found " + row);
        }
        float[] maps = new float[output.size()];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = output.get(row, i);
        }
        return ImageGrid.of(maps, shape[0], 1, shape[1], shape[2]).columns(Math.min(shape[0], 8));
    }
}
