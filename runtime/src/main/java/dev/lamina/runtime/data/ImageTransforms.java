package dev.lamina.runtime.data;

import java.util.Arrays;

/** Internal, not API: the deterministic image operations behind {@link Augmentation}, on [c, h, w] samples. */
final class ImageTransforms {
    private ImageTransforms() {
    }

    static void requireImage(int[] shape, String transform) {
        if (shape.length != 3) {
            throw new IllegalArgumentException(transform + " needs image samples of shape [channels, height, width],"
                    + " found " + Arrays.toString(shape));
        }
    }

    static void requireNonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException("expected " + name + " >= 0, found " + value);
        }
    }

    /** Mirrors every row: column x goes to w - 1 - x. */
    static void flip(float[] f, int offset, int[] shape) {
        int w = shape[2];
        for (int row = 0, rows = shape[0] * shape[1]; row < rows; row++) {
            int start = offset + row * w;
            for (int i = 0, j = w - 1; i < j; i++, j--) {
                float t = f[start + i];
                f[start + i] = f[start + j];
                f[start + j] = t;
            }
        }
    }

    /** Moves every pixel by {@code dy} rows and {@code dx} columns: (y, x) goes to (y + dy, x + dx); zeros fill in. */
    static void translate(float[] f, int offset, int[] shape, int dy, int dx) {
        if (dy == 0 && dx == 0) {
            return;
        }
        int h = shape[1];
        int w = shape[2];
        float[] plane = new float[h * w];
        for (int c = 0; c < shape[0]; c++) {
            int base = offset + c * h * w;
            System.arraycopy(f, base, plane, 0, h * w);
            Arrays.fill(f, base, base + h * w, 0f);
            for (int y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
                int fromX = Math.max(0, -dx);
                int toX = Math.min(w, w - dx);
                if (toX > fromX) {
                    System.arraycopy(plane, y * w + fromX, f, base + (y + dy) * w + fromX + dx, toX - fromX);
                }
            }
        }
    }

    /**
     * Rotates by {@code angle} radians and scales by {@code scale}
     * about the centre: each output pixel samples the input, bilinearly, where the inverse transform sends it.
     */
    static void rotateScale(float[] f, int offset, int[] shape, double angle, double scale) {
        int h = shape[1];
        int w = shape[2];
        double cy = (h - 1) / 2.0;
        double cx = (w - 1) / 2.0;
        double cos = Math.cos(angle) / scale;
        double sin = Math.sin(angle) / scale;
        float[] plane = new float[h * w];
        for (int c = 0; c < shape[0]; c++) {
            int base = offset + c * h * w;
            System.arraycopy(f, base, plane, 0, h * w);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double u = x - cx;
                    double v = y - cy;
                    double sx = cos * u - sin * v + cx;
                    double sy = sin * u + cos * v + cy;
                    f[base + y * w + x] = bilinear(plane, h, w, sy, sx);
                }
            }
        }
    }

    private static float bilinear(float[] plane, int h, int w, double y, double x) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        double v = (1 - fy) * ((1 - fx) * at(plane, h, w, y0, x0) + fx * at(plane, h, w, y0, x0 + 1))
                + fy * ((1 - fx) * at(plane, h, w, y0 + 1, x0) + fx * at(plane, h, w, y0 + 1, x0 + 1));
        return (float) v;
    }

    private static float at(float[] plane, int h, int w, int y, int x) {
        return y < 0 || y >= h || x < 0 || x >= w ? 0f : plane[y * w + x];
    }

    /** Zeroes the {@code size x size} square whose top-left corner is (top, left), clipped to the image. */
    static void erase(float[] f, int offset, int[] shape, int top, int left, int size) {
        int h = shape[1];
        int w = shape[2];
        int x0 = Math.max(0, left);
        int x1 = Math.min(w, left + size);
        for (int c = 0; c < shape[0]; c++) {
            for (int y = Math.max(0, top); y < Math.min(h, top + size); y++) {
                if (x1 > x0) {
                    int row = offset + c * h * w + y * w;
                    Arrays.fill(f, row + x0, row + x1, 0f);
                }
            }
        }
    }
}
