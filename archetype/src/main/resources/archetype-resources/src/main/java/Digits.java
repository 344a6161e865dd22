package ${package};

import dev.lamina.runtime.data.Csv;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.Mnist;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** The 1,797 UCI optical digits (8x8, values 0..16) that ship in this project's resources. */
public final class Digits {
    private static final String RESOURCE = "/digits.csv.gz";

    private Digits() {
    }

    /**
     * The digits scaled to [0, 1] as 1x8x8 images, shuffled with {@code seed} and split 80/20 into a training and
     * a held-out test set.
     */
    public static Mnist.Split load(long seed) throws IOException {
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path (src/main/resources)");
            }
            Dataset rows = Csv.readClassification(new GZIPInputStream(in), RESOURCE, 10);
            Dataset images = new Dataset(rows.features(), new int[] {1, 8, 8}, rows.targets(), 10).scaled(1f / 16);
            Dataset[] parts = images.split(0.8, seed);
            return new Mnist.Split(parts[0], parts[1]);
        }
    }
}
