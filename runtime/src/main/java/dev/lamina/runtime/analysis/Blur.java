package dev.lamina.runtime.analysis;

/**
 * The 3x3 binomial blur ({@code [1 2 1] / 4} along rows, then along columns), per channel, edges repeated: what
 * image optimisation uses to damp the pixel-scale noise a gradient step leaves.
 */
final class Blur {
    private Blur() {
    }

    /** Blurs the {@code channels x height x width} image {@code x} (channels first) in place. */
    static void binomial3x3(float[] x, int channels, int height, int width) {
        float[] line = new float[Math.max(height, width)];
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                smooth(x, plane + y * width, 1, width, line);
            }
            for (int col = 0; col < width; col++) {
                smooth(x, plane + col, width, height, line);
            }
        }
    }

    /** {@code [1 2 1] / 4} along {@code count} values from {@code start}, {@code stride} apart. */
    private static void smooth(float[] x, int start, int stride, int count, float[] line) {
        for (int i = 0; i < count; i++) {
            line[i] = x[start + i * stride];
        }
        for (int i = 0; i < count; i++) {
            float left = line[Math.max(i - 1, 0)];
            float right = line[Math.min(i + 1, count - 1)];
            x[start + i * stride] = 0.25f * left + 0.5f * line[i] + 0.25f * right;
        }
    }
}
