package dev.lamina.runtime.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of images per class, as Keras' {@code image_dataset_from_directory} and torchvision's
 * {@code ImageFolder} read it: {@code root/<class>/*.png} (or {@code .jpg}, {@code .jpeg}, {@code .gif},
 * {@code .bmp}), the classes being the sub-folders in name order, their files in name order. Each {@link #read}
 * decodes one file through {@code javax.imageio}: pixels scaled to [0, 1], channels first, 1 channel (grey, the
 * luminance {@code 0.299 R + 0.587 G + 0.114 B}) or 3 (RGB); an image of another size is resized (bilinear) when
 * {@link Builder#resize} says so, and otherwise refused. A file that cannot be decoded is an
 * {@link UncheckedIOException} naming it.
 *
 * <pre>{@code
 * ImageFolder flowers = ImageFolder.at(Path.of("flowers/train")).size(64, 64).rgb().resize().open();
 * }</pre>
 */
public final class ImageFolder implements DataSource {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

    private final List<String> classes;
    private final Path[] files;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final boolean resize;

    private ImageFolder(List<String> classes, Path[] files, int[] labels, int channels, int height, int width,
            boolean resize) {
        this.classes = classes;
        this.files = files;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.resize = resize;
    }

    /**
     * {@return a builder for the images under {@code root}}
     *
     * @param root a folder with one sub-folder per class
     */
    public static Builder at(Path root) {
        return new Builder(root);
    }

    /** The settings of an {@link ImageFolder}: size, channels, resizing. */
    public static final class Builder {
        private final Path root;
        private int height;
        private int width;
        private int channels = 1;
        private boolean resize;

        private Builder(Path root) {
            this.root = root;
        }

        /**
         * The images' size (default: the first image's).
         *
         * @param h height in pixels; at least 1
         * @param w width in pixels; at least 1
         * @return this builder
         */
        public Builder size(int h, int w) {
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("expected an image size of at least 1 x 1, found " + h + " x " + w);
            }
            this.height = h;
            this.width = w;
            return this;
        }

        /** {@return this builder, reading 3 channels (red, green, blue) instead of 1 (grey)} */
        public Builder rgb() {
            this.channels = 3;
            return this;
        }

        /** {@return this builder, resizing (bilinear) images of another size instead of refusing them} */
        public Builder resize() {
            this.resize = true;
            return this;
        }

        /**
         * Lists the classes and their files (no image is decoded but the first when no size was given).
         *
         * @return the source
         * @throws IOException when the root is not a folder, has no class folder, or a class has no image
         */
        public ImageFolder open() throws IOException {
            if (!Files.isDirectory(root)) {
                throw new java.nio.file.NotDirectoryException(root + " (expected a folder of class folders)");
            }
            List<Path> classDirs;
            try (Stream<Path> s = Files.list(root)) {
                classDirs = s.filter(Files::isDirectory).sorted().toList();
            }
            if (classDirs.isEmpty()) {
                throw new IOException(root + ": expected one sub-folder per class, found none");
            }
            List<String> names = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (Path dir : classDirs) {
                List<Path> images;
                try (Stream<Path> s = Files.list(dir)) {
                    images = s.filter(p -> Files.isRegularFile(p) && isImage(p)).sorted().toList();
                }
                if (images.isEmpty()) {
                    throw new IOException(dir + ": expected images (" + String.join(", ", EXTENSIONS)
                            + ") for class '" + dir.getFileName() + "', found none");
                }
                for (Path p : images) {
                    files.add(p);
                    labels.add(names.size());
                }
                names.add(dir.getFileName().toString());
            }
            int h = height;
            int w = width;
            if (h == 0) {
                BufferedImage first = decode(files.get(0));
                h = first.getHeight();
                w = first.getWidth();
            }
            return new ImageFolder(List.copyOf(names), files.toArray(Path[]::new),
                    labels.stream().mapToInt(Integer::intValue).toArray(), channels, h, w, resize);
        }

        private static boolean isImage(Path p) {
            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
            return EXTENSIONS.stream().anyMatch(name::endsWith);
        }
    }

    /** {@return the class names (the sub-folders), in label order} */
    public List<String> classes() {
        return classes;
    }

    /**
     * {@return the file of sample {@code row}}
     *
     * @param row the sample, in {@code [0, size())}
     */
    public Path file(int row) {
        return files[row];
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public int[] shape() {
        return new int[] {channels, height, width};
    }

    @Override
    public int featureSize() {
        return channels * height * width;
    }

    @Override
    public int targetSize() {
        return classes.size();
    }

    @Override
    public void read(int row, float[] features, int featureOffset, float[] targets, int targetOffset) {
        BufferedImage image;
        try {
            image = decode(files[row]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (image.getHeight() != height || image.getWidth() != width) {
            if (!resize) {
                throw new IllegalArgumentException(files[row] + ": expected an image of " + height + " x " + width
                        + " pixels (height x width), found " + image.getHeight() + " x " + image.getWidth()
                        + "; resize() scales images to one size");
            }
            image = resized(image, height, width);
        }
        int plane = height * width;
        java.awt.image.Raster raster = image.getRaster();
        // a grey image's samples are its values: getRGB would convert them from linear grey to sRGB
        boolean grey = raster.getNumBands() == 1
                && !(image.getColorModel() instanceof java.awt.image.IndexColorModel);
        float greyScale = grey ? 1f / ((1 << image.getColorModel().getComponentSize(0)) - 1) : 0f;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (grey) {
                    float v = raster.getSample(x, y, 0) * greyScale;
                    for (int c = 0; c < channels; c++) {
                        features[featureOffset + c * plane + y * width + x] = v;
                    }
                    continue;
                }
                int argb = image.getRGB(x, y);
                float r = ((argb >> 16) & 0xff) / 255f;
                float g = ((argb >> 8) & 0xff) / 255f;
                float b = (argb & 0xff) / 255f;
                int at = featureOffset + y * width + x;
                if (channels == 1) {
                    features[at] = 0.299f * r + 0.587f * g + 0.114f * b;
                } else {
                    features[at] = r;
                    features[at + plane] = g;
                    features[at + 2 * plane] = b;
                }
            }
        }
        java.util.Arrays.fill(targets, targetOffset, targetOffset + classes.size(), 0f);
        targets[targetOffset + labels[row]] = 1f;
    }

    private static BufferedImage decode(Path file) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot decode the image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IOException(file + ": not an image javax.imageio can read (expected PNG, JPEG, GIF or BMP)");
        }
        return image;
    }

    private static BufferedImage resized(BufferedImage image, int h, int w) {
        int type = image.getRaster().getNumBands() == 1 && image.getColorModel().getComponentSize(0) == 8
                && !(image.getColorModel() instanceof java.awt.image.IndexColorModel)
                ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
        BufferedImage out = new BufferedImage(w, h, type);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
