package dev.lamina.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * MNIST and Fashion-MNIST from a directory of the four standard IDX files (gzipped or not): pixels scaled to
 * [0, 1], shape [1, 28, 28], 10 one-hot classes.
 */
public final class Mnist {
    /** The default location of Debian's {@code dataset-fashion-mnist} package. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * Training and test sets.
     *
     * @param train the training set
     * @param test the test set
     */
    public record Split(Dataset train, Dataset test) {
    }

    private Mnist() {
    }

    /**
     * {@return whether {@code dir} holds the training images and the test labels (plain or {@code .gz}), as {@link
     * #load} reads
     * them}
     *
     * @param dir the folder looked in
     */
    public static boolean isPresent(Path dir) {
        return find(dir, "train-images-idx3-ubyte") != null && find(dir, "t10k-labels-idx1-ubyte") != null;
    }

    /**
     * Reads the training ({@code train-*}) and test ({@code t10k-*}) sets from {@code dir}; throws an
     * {@link IOException} naming any missing or malformed file.
     *
     * @param dir the folder holding the four IDX files
     * @return the training and test sets
     * @throws IOException when a file is missing or malformed
     */
    public static Split load(Path dir) throws IOException {
        return new Split(load(dir, "train"), load(dir, "t10k"));
    }

    private static Dataset load(Path dir, String prefix) throws IOException {
        Path imagesPath = require(dir, prefix + "-images-idx3-ubyte");
        Path labelsPath = require(dir, prefix + "-labels-idx1-ubyte");
        Idx.Array images = Idx.read(imagesPath);
        Idx.Array labels = Idx.read(labelsPath);
        if (images.dims().length != 3 || labels.dims().length != 1 || images.dims()[0] != labels.dims()[0]) {
            throw new IOException("expected images [n, rows, cols] and labels [n] in " + dir + ", found images "
                    + Arrays.toString(images.dims()) + " and labels " + Arrays.toString(labels.dims()));
        }
        for (int i = 0; i < labels.values().length; i++) {
            if (labels.values()[i] > 9) {
                throw new IOException(labelsPath + ": expected labels 0..9, found " + labels.values()[i]
                        + " for sample " + i);
            }
        }
        float[] pixels = new float[images.values().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = images.values()[i] / 255f;
        }
        int[] shape = {1, images.dims()[1], images.dims()[2]};
        return Dataset.classification(pixels, shape, labels.values(), 10);
    }

    private static Path require(Path dir, String name) throws IOException {
        Path p = find(dir, name);
        if (p == null) {
            throw new java.nio.file.NoSuchFileException(dir.resolve(name + ".gz").toString(), null,
                    "expected " + name + " or " + name + ".gz in " + dir);
        }
        return p;
    }

    private static Path find(Path dir, String name) {
        for (String candidate : new String[] {name + ".gz", name}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
