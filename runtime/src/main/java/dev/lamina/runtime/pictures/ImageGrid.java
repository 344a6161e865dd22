package dev.lamina.runtime.pictures;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Images laid out in a grid and drawn as one picture: generated samples, first-layer filters, the feature maps of
 * one sample, saliency maps. Images are given as inputs are, channels first, one after another: image {@code i}'s
 * value at channel {@code c}, row {@code y}, column {@code x} is {@code images[((i * channels + c) * height + y)
 * * width + x]}. One channel is drawn through a {@link ColourMap} (grey by default, {@link ColourMap#HEAT} for
 * magnitudes), three as red, green and blue.
 *
 * <p>Values are scaled per image by default (its minimum is black, its maximum white, all channels together; an
 * image of one value is black), or with a {@link #range} shared by all (values outside it are clamped). Each
 * image is magnified {@link #zoom} times (nearest neighbour, so an 8x8 digit stays 8x8 blocks) and tiles are
 * separated by {@link #gap} pixels of a muted blue. Picture size: {@code columns * (width * zoom) + (columns + 1)
 * * gap} wide, {@code rows * (height * zoom) + (rows + 1) * gap} high, with {@code rows = ceil(count / columns)}.
 */
public final class ImageGrid {
    private static final int GAP_COLOUR = 0x404080;

    private final float[] images;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private int columns;
    private int zoom = 1;
    private int gap = 1;
    private ColourMap colours = ColourMap.GREY;
    private boolean fixedRange;
    private double low;
    private double high;

    private ImageGrid(float[] images, int count, int channels, int height, int width) {
        this.images = images;
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.columns = (int) Math.ceil(Math.sqrt(count));
    }

    /**
     * {@return a grid of {@code count} images of {@code channels x height x width} (1 channel: grey or a colour map, 3:
     * RGB), about square until {@link #columns} says otherwise; the array is read when the grid is drawn}
     *
     * @param images the images, one after another, channels first
     * @param count the number of images
     * @param channels channels per image: 1 or 3
     * @param height height in pixels
     * @param width width in pixels
     * @throws IllegalArgumentException when a size is not positive, channels is not 1 or 3, or the array does not hold
     *     exactly {@code count * channels * height * width} values
     */
    public static ImageGrid of(float[] images, int count, int channels, int height, int width) {
        positive("count", count);
        positive("height", height);
        positive("width", width);
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("expected 1 (grey) or 3 (RGB) channels per image, found " + channels
                    + "; draw each channel as an image of its own (count * channels images of 1 channel)");
        }
        long expected = (long) count * channels * height * width;
        if (images.length != expected) {
            throw new IllegalArgumentException("expected " + count + " x " + channels + " x " + height + " x "
                    + width + " = " + expected + " values, found " + images.length);
        }
        return new ImageGrid(images, count, channels, height, width);
    }

    /**
     * Writes {@code count} images, {@code columns} to a row, each scaled to its own range, as a PNG: what a GAN
     * sample calls after every epoch.
     *
     * @param path the PNG file to write
     * @param images the images, one after another, channels first
     * @param count the number of images
     * @param channels channels per image: 1 or 3
     * @param height height in pixels
     * @param width width in pixels
     * @param columns images per row
     * @throws IOException when the file cannot be written
     */
    public static void write(Path path, float[] images, int count, int channels, int height, int width,
            int columns) throws IOException {
        of(images, count, channels, height, width).columns(columns).write(path);
    }

    /**
     * At most this many images to a row (fewer when there are fewer images).
     *
     * @param columns images per row; at least 1
     * @return this grid
     */
    public ImageGrid columns(int columns) {
        this.columns = positive("columns", columns);
        return this;
    }

    /**
     * Each image pixel becomes {@code zoom x zoom} picture pixels.
     *
     * @param zoom the magnification; at least 1
     * @return this grid
     */
    public ImageGrid zoom(int zoom) {
        this.zoom = positive("zoom", zoom);
        return this;
    }

    /**
     * Pixels between tiles and around the grid (0 for none).
     *
     * @param gap the gap in pixels; at least 0
     * @return this grid
     */
    public ImageGrid gap(int gap) {
        if (gap < 0) {
            throw new IllegalArgumentException("expected a gap of 0 or more pixels, found " + gap);
        }
        this.gap = gap;
        return this;
    }

    /**
     * Scales every image with the same range, {@code low} black and {@code high} white, instead of per image.
     *
     * @param low the value drawn black
     * @param high the value drawn white
     * @return this grid
     */
    public ImageGrid range(double low, double high) {
        if (!(Double.isFinite(low) && Double.isFinite(high) && low < high)) {
            throw new IllegalArgumentException("expected a finite range with low < high, found [" + low + ", "
                    + high + "]");
        }
        this.fixedRange = true;
        this.low = low;
        this.high = high;
        return this;
    }

    /**
     * The colours of one-channel images; three-channel images are RGB and take none but {@link
     * ColourMap#GREY}.
     *
     * @param colours the colour map
     * @return this grid
     */
    public ImageGrid colours(ColourMap colours) {
        if (channels == 3 && colours != ColourMap.GREY) {
            throw new IllegalArgumentException("expected one-channel images for the colour map " + colours
                    + ", found " + channels + " channels (drawn as RGB)");
        }
        this.colours = colours;
        return this;
    }

    /** {@return width of the picture in pixels} */
    public int width() {
        int c = Math.min(columns, count);
        return c * width * zoom + (c + 1) * gap;
    }

    /** {@return height of the picture in pixels} */
    public int height() {
        int rows = (count + columns - 1) / columns;
        return rows * height * zoom + (rows + 1) * gap;
    }

    /**
     * Draws the grid.
     *
     * @return the picture
     */
    public BufferedImage render() {
        BufferedImage picture = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                picture.setRGB(x, y, GAP_COLOUR);
            }
        }
        int c = Math.min(columns, count);
        for (int i = 0; i < count; i++) {
            int left = gap + (i % c) * (width * zoom + gap);
            int top = gap + (i / c) * (height * zoom + gap);
            drawImage(picture, i, left, top);
        }
        return picture;
    }

    /**
     * Draws the grid and writes it as a PNG ({@link Png}).
     *
     * @param path the PNG file to write
     * @throws IOException when the file cannot be written
     */
    public void write(Path path) throws IOException {
        Png.write(path, render());
    }

    private void drawImage(BufferedImage picture, int image, int left, int top) {
        int plane = height * width;
        int start = image * channels * plane;
        double lo = low;
        double hi = high;
        if (!fixedRange) {
            lo = Double.POSITIVE_INFINITY;
            hi = Double.NEGATIVE_INFINITY;
            for (int k = start; k < start + channels * plane; k++) {
                if (Float.isFinite(images[k])) {
                    lo = Math.min(lo, images[k]);
                    hi = Math.max(hi, images[k]);
                }
            }
        }
        double scale = hi > lo ? 1 / (hi - lo) : 0; // an image of one value (or none finite) is black
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = start + y * width + x;
                int rgb;
                if (channels == 1) {
                    rgb = colours.rgb(scaled(images[p], lo, scale));
                } else {
                    rgb = ColourMap.level(scaled(images[p], lo, scale)) << 16
                            | ColourMap.level(scaled(images[p + plane], lo, scale)) << 8
                            | ColourMap.level(scaled(images[p + 2 * plane], lo, scale));
                }
                fill(picture, left + x * zoom, top + y * zoom, rgb);
            }
        }
    }

    /** A value in {@code [0, 1]} (before clamping); NaN is drawn as the low end. */
    private static double scaled(float value, double low, double scale) {
        return Float.isNaN(value) ? 0 : (value - low) * scale;
    }

    private void fill(BufferedImage picture, int x0, int y0, int rgb) {
        for (int dy = 0; dy < zoom; dy++) {
            for (int dx = 0; dx < zoom; dx++) {
                picture.setRGB(x0 + dx, y0 + dy, rgb);
            }
        }
    }

    private static int positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("expected a positive " + what + ", found " + value);
        }
        return value;
    }
}
