package dev.lamina.samples;

import dev.lamina.runtime.data.Csv;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.Mnist;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The data sets the samples use: Fashion-MNIST from disk, the UCI digits from inside the jar. */
public final class SampleData {
    private SampleData() {
    }

    /**
     * The 1,797 UCI optical digits (8x8, values 0..16 scaled to [0, 1]), shuffled with {@code seed} and split
     * 80/20 into training and held-out test sets.
     */
    public static Mnist.Split digits(long seed) {
        try (InputStream in = SampleData.class.getResourceAsStream("digits.csv.gz")) {
            if (in == null) {
                throw new IllegalStateException("digits.csv.gz is missing from the samples jar");
            }
            Dataset flat = Csv.readClassification(new GZIPInputStream(in), "digits.csv.gz", 10);
            Dataset images = new Dataset(flat.features(), new int[] {1, 8, 8}, flat.targets(), 10).scaled(1f / 16);
            Dataset[] parts = images.split(0.8, seed);
            return new Mnist.Split(parts[0], parts[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Mnist.Split fashionMnist(Path dir) throws IOException {
        return Mnist.load(dir);
    }
}
