package dev.lamina.runtime.pictures;

/** How a grey image's values, scaled to {@code [0, 1]}, become colours. */
public enum ColourMap {
    /** Black at 0 to white at 1. */
    GREY {
        @Override
        int rgb(double t) {
            int v = level(t);
            return (v << 16) | (v << 8) | v;
        }
    },
    /**
     * Black, red, yellow, white (matplotlib's {@code hot}): for saliency and other non-negative magnitudes, where
     * the eye should go to the brightest places.
     */
    HEAT {
        @Override
        int rgb(double t) {
            int r = level(3 * t);
            int g = level(3 * t - 1);
            int b = level(3 * t - 2);
            return (r << 16) | (g << 8) | b;
        }
    };

    /** The colour of {@code t} in {@code [0, 1]} (clamped) as {@code 0xRRGGBB}. */
    abstract int rgb(double t);

    /** {@code t} clamped to {@code [0, 1]} as a level in {@code [0, 255]}. */
    static int level(double t) {
        double c = Math.max(0, Math.min(1, t));
        return (int) Math.round(c * 255);
    }
}
