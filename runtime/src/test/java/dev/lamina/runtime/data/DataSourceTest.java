package dev.lamina.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 22, item 5: the streamed sources give what the in-memory readers give, and name a bad file or line. */
class DataSourceTest {
    @TempDir
    Path dir;

    private static void idx(Path p, boolean gzip, int[] dims, int[] values) throws IOException {
        try (OutputStream raw = Files.newOutputStream(p); OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            out.write(new byte[] {0, 0, 8, (byte) dims.length});
            for (int d : dims) {
                out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
            }
            for (int v : values) {
                out.write(v);
            }
        }
    }

    /** Rows of the source, all of them, as one in-memory set. */
    private static void assertSameRows(Dataset expected, DataSource actual) {
        assertEquals(expected.size(), actual.size());
        assertArrayEquals(expected.shape(), actual.shape());
        assertEquals(expected.targetSize(), actual.targetSize());
        Dataset loaded = actual.load();
        assertArrayEquals(expected.features(), loaded.features());
        assertArrayEquals(expected.targets(), loaded.targets());
    }

    @Test
    void idxFilesReadRowByRowAsMnistReadsThemWhole() throws IOException {
        int n = 7;
        int[] pixels = new int[n * 3 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i * 37) % 256;
        }
        int[] labels = {3, 0, 9, 9, 1, 4, 2};
        for (String prefix : List.of("train", "t10k")) {
            boolean gzip = prefix.equals("train");
            idx(dir.resolve(prefix + "-images-idx3-ubyte" + (gzip ? ".gz" : "")), gzip, new int[] {n, 3, 2}, pixels);
            idx(dir.resolve(prefix + "-labels-idx1-ubyte" + (gzip ? ".gz" : "")), gzip, new int[] {n}, labels);
        }
        Mnist.Split whole = Mnist.load(dir);
        try (IdxSource train = IdxSource.mnist(dir, "train"); IdxSource test = IdxSource.mnist(dir, "t10k")) {
            assertSameRows(whole.train(), train);
            assertSameRows(whole.test(), test);
            assertArrayEquals(new int[] {1, 3, 2}, train.shape());
        }
    }

    @Test
    void badIdxFilesAreNamed() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        idx(images, false, new int[] {2, 2, 2}, new int[] {1, 2, 3, 4, 5, 6, 7}); // one value short
        idx(labels, false, new int[] {2}, new int[] {0, 1});
        IOException e = assertThrows(IOException.class, () -> IdxSource.open(images, labels, 10));
        assertTrue(e.getMessage().startsWith(images + ": ") && e.getMessage().contains("truncated"), e.getMessage());
        idx(images, false, new int[] {2, 2, 2}, new int[] {1, 2, 3, 4, 5, 6, 7, 8});
        idx(labels, false, new int[] {2}, new int[] {0, 12});
        e = assertThrows(IOException.class, () -> IdxSource.open(images, labels, 10));
        assertTrue(e.getMessage().contains(labels + ": expected labels in [0, 10), found 12 for sample 1"),
                e.getMessage());
    }

    @Test
    void csvRowsReadOneByOneAsCsvReadsThemWhole() throws IOException {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, "a,b,label\n1.5,\"2\",0\n\n-3,4e-1,2\r\n7,8,1\n");
        Dataset whole = Csv.readClassification(csv, 3);
        try (CsvSource source = CsvSource.open(csv, 3, Csv.Header.DETECT)) {
            assertSameRows(whole, source);
        }
        try (CsvSource source = CsvSource.open(csv, 3, Csv.Header.PRESENT)) {
            assertEquals(3, source.size());
        }
        Path noHeader = dir.resolve("plain.csv");
        Files.writeString(noHeader, "1,2,0\n3,4,1\n");
        try (CsvSource source = CsvSource.open(noHeader, 2, Csv.Header.DETECT)) {
            assertSameRows(Csv.readClassification(noHeader, 2), source);
        }
    }

    @Test
    void aBadCsvCellNamesTheFileAndTheLine() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "1,2,0\n3,4,1\n5,x,1\n6,7,1,0\n");
        try (CsvSource source = CsvSource.open(csv, 2, Csv.Header.ABSENT)) {
            float[] f = new float[2];
            float[] t = new float[2];
            source.read(1, f, 0, t, 0);
            assertArrayEquals(new float[] {3, 4}, f);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> source.read(2, f, 0, t, 0));
            assertTrue(e.getMessage().contains(csv + ":3: column 2") && e.getMessage().contains("'x'"),
                    e.getMessage());
            e = assertThrows(UncheckedIOException.class, () -> source.read(3, f, 0, t, 0));
            assertTrue(e.getMessage().contains(csv + ":4: expected 3 cells (as in the first row), found 4"),
                    e.getMessage());
        }
    }

    private static void png(Path p, BufferedImage image) throws IOException {
        Files.createDirectories(p.getParent());
        ImageIO.write(image, "png", p.toFile());
    }

    private static BufferedImage grey(int w, int h, int value) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(1, 0, 0, value);
        return image;
    }

    @Test
    void aFolderOfImagesPerClass() throws IOException {
        Path root = dir.resolve("images");
        png(root.resolve("cat/b.png"), grey(3, 2, 255));
        png(root.resolve("cat/a.png"), grey(3, 2, 51));
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(2, 1, 0xff3300);
        png(root.resolve("dog/c.png"), rgb);
        Files.writeString(root.resolve("dog/notes.txt"), "not an image, not listed");

        ImageFolder greyFolder = ImageFolder.at(root).open();
        assertEquals(List.of("cat", "dog"), greyFolder.classes());
        assertEquals(3, greyFolder.size());
        assertArrayEquals(new int[] {1, 2, 3}, greyFolder.shape());
        assertEquals(root.resolve("cat/a.png"), greyFolder.file(0));
        Dataset g = greyFolder.load();
        assertEquals(0.2f, g.features()[1], 1e-6f);
        assertEquals(1f, g.features()[6 + 1], 1e-6f);
        assertEquals(0.299f * 1 + 0.587f * 0.2f, g.features()[12 + 5], 1e-6f);
        assertArrayEquals(new float[] {1, 0, 1, 0, 0, 1}, g.targets());

        Dataset c = ImageFolder.at(root).rgb().open().load();
        assertEquals(18, c.featureSize());
        assertEquals(1f, c.features()[36 + 5], 1e-6f);
        assertEquals(0.2f, c.features()[36 + 6 + 5], 1e-6f);
        assertEquals(0f, c.features()[36 + 12 + 5], 1e-6f);
        assertEquals(0.2f, c.features()[6 + 1], 1e-6f, "a grey image gives its value to the three channels");
    }

    @Test
    void aBadOrOddSizedImageIsNamed() throws IOException {
        Path root = dir.resolve("images");
        png(root.resolve("a/one.png"), grey(4, 4, 9));
        png(root.resolve("b/big.png"), grey(8, 6, 9));
        ImageFolder strict = ImageFolder.at(root).open();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> strict.load());
        assertTrue(e.getMessage().contains("big.png: expected an image of 4 x 4 pixels")
                && e.getMessage().contains("found 6 x 8"), e.getMessage());
        assertArrayEquals(new int[] {1, 4, 8}, ImageFolder.at(root).size(4, 8).resize().open().load().shape());

        Files.writeString(root.resolve("b/broken.png"), "no image here");
        ImageFolder resized = ImageFolder.at(root).resize().open();
        UncheckedIOException u = assertThrows(UncheckedIOException.class, resized::load);
        assertTrue(u.getMessage().contains("broken.png") && u.getMessage().contains("not an image"), u.getMessage());

        Files.createDirectories(root.resolve("c"));
        IOException empty = assertThrows(IOException.class, () -> ImageFolder.at(root).open());
        assertTrue(empty.getMessage().contains("for class 'c', found none"), empty.getMessage());
    }
}
