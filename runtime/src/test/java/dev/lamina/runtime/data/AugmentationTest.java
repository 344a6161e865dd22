package dev.lamina.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Issue 22, item 5: each transform's effect on a known image, labels untouched, same batches whatever the threads. */
class AugmentationTest {
    private static final int[] IMAGE = {1, 5, 5};

    /** A 5x5 image of zeros with a 1 at (y, x). */
    private static float[] dot(int y, int x) {
        float[] f = new float[25];
        f[y * 5 + x] = 1f;
        return f;
    }

    /** Where the single nonzero value of a 5x5 image is, as {y, x}; fails unless there is exactly one. */
    private static int[] where(float[] f) {
        int at = -1;
        for (int i = 0; i < f.length; i++) {
            if (f[i] != 0f) {
                assertEquals(-1, at, "more than one nonzero value: " + Arrays.toString(f));
                at = i;
            }
        }
        assertTrue(at >= 0, "no nonzero value left");
        return new int[] {at / 5, at % 5};
    }

    @Test
    void aTranslationMovesAPixelByTheShift() {
        float[] f = dot(1, 1);
        ImageTransforms.translate(f, 0, IMAGE, 2, 1);
        assertArrayEquals(new int[] {3, 2}, where(f));
        assertEquals(1f, f[3 * 5 + 2]);
        float[] out = dot(0, 4);
        ImageTransforms.translate(out, 0, IMAGE, 0, 1);
        assertTrue(Arrays.equals(new float[25], out), "a pixel moved out of the image leaves zeros");
    }

    @Test
    void aRandomShiftMovesThePixelWithinItsRangeAndCoversIt() {
        Augmentation shift = Augmentation.shift(1, 2);
        boolean[][] seen = new boolean[3][5];
        for (int row = 0; row < 400; row++) {
            float[] f = dot(2, 2);
            shift.apply(f, 0, IMAGE, Augmentation.generator(9, 1, row));
            int[] at = where(f);
            int dy = at[0] - 2;
            int dx = at[1] - 2;
            assertTrue(Math.abs(dy) <= 1 && Math.abs(dx) <= 2, "shift of (" + dy + ", " + dx + ")");
            seen[dy + 1][dx + 2] = true;
        }
        for (boolean[] line : seen) {
            for (boolean s : line) {
                assertTrue(s, "every shift in range occurs in 400 draws");
            }
        }
    }

    @Test
    void aRandomCropIsAShiftByAtMostThePadding() {
        for (int row = 0; row < 100; row++) {
            float[] f = dot(2, 2);
            Augmentation.randomCrop(1).apply(f, 0, IMAGE, Augmentation.generator(3, 2, row));
            int[] at = where(f);
            assertTrue(Math.abs(at[0] - 2) <= 1 && Math.abs(at[1] - 2) <= 1, Arrays.toString(at));
        }
        float[] same = dot(1, 3);
        Augmentation.randomCrop(0).apply(same, 0, IMAGE, new Rng(1));
        assertArrayEquals(dot(1, 3), same);
    }

    @Test
    void aFlipMirrorsEveryRowOfEveryChannel() {
        int[] shape = {2, 2, 3};
        float[] f = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        ImageTransforms.flip(f, 0, shape);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, f);
        int mirrored = 0;
        for (int row = 0; row < 200; row++) {
            float[] g = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
            Augmentation.horizontalFlip().apply(g, 0, shape, Augmentation.generator(0, 1, row));
            boolean flipped = Arrays.equals(f, g);
            assertTrue(flipped || Arrays.equals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, g));
            mirrored += flipped ? 1 : 0;
        }
        assertTrue(mirrored > 70 && mirrored < 130, "about half are mirrored: " + mirrored + " of 200");
    }

    @Test
    void aHalfTurnSendsEachPixelToTheOppositeCornerAndNoRotationChangesNothing() {
        float[] f = dot(0, 1);
        ImageTransforms.rotateScale(f, 0, IMAGE, Math.PI, 1);
        assertEquals(1f, f[4 * 5 + 3], 1e-6f);
        float sum = 0;
        for (float v : f) {
            sum += Math.abs(v);
        }
        assertEquals(1f, sum, 1e-5f);
        float[] g = dot(3, 1);
        ImageTransforms.rotateScale(g, 0, IMAGE, 0, 1);
        assertArrayEquals(dot(3, 1), g);
    }

    @Test
    void scalingUpMovesAPixelAwayFromTheCentre() {
        float[] f = new float[9 * 9];
        f[4 * 9 + 6] = 1f; // two right of the centre (4, 4)
        ImageTransforms.rotateScale(f, 0, new int[] {1, 9, 9}, 0, 2);
        // the output at four right of the centre samples the input at two right of it
        assertEquals(1f, f[4 * 9 + 8], 1e-6f);
        assertEquals(0f, f[4 * 9 + 6], 1e-6f);
    }

    @Test
    void noiseHasTheStatedSigma() {
        int[] shape = {1, 100, 100};
        float[] f = new float[10_000];
        Augmentation.gaussianNoise(0.1).apply(f, 0, shape, new Rng(5));
        double sum = 0;
        double squares = 0;
        for (float v : f) {
            sum += v;
            squares += v * v;
        }
        double mean = sum / f.length;
        double sigma = Math.sqrt(squares / f.length - mean * mean);
        // standard errors of 0.001 (mean) and 0.0007 (sigma) for 10,000 draws
        assertEquals(0, mean, 0.004);
        assertEquals(0.1, sigma, 0.003);
    }

    @Test
    void cutoutZeroesOneSquareAtMost() {
        int[] shape = {2, 8, 8};
        for (int row = 0; row < 50; row++) {
            float[] f = new float[128];
            Arrays.fill(f, 1f);
            Augmentation.cutout(3).apply(f, 0, shape, Augmentation.generator(1, 1, row));
            int minY = 8, maxY = -1, minX = 8, maxX = -1, zeros = 0;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    assertEquals(f[y * 8 + x], f[64 + y * 8 + x], "both channels are cut alike");
                    if (f[y * 8 + x] == 0f) {
                        zeros++;
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                    }
                }
            }
            assertTrue(zeros >= 4 && zeros <= 9, zeros + " zeros");
            assertEquals(zeros, (maxY - minY + 1) * (maxX - minX + 1), "the zeros form one rectangle");
        }
    }

    @Test
    void imageTransformsRefuseVectorsAndBadSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Augmentation.shift(1, 1).apply(new float[4], 0, new int[] {4}, new Rng(1)));
        assertTrue(e.getMessage().contains("[channels, height, width]") && e.getMessage().contains("[4]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Augmentation.randomCrop(-1));
        assertThrows(IllegalArgumentException.class, () -> Augmentation.gaussianNoise(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Augmentation.rotateScale(10, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Augmentation.cutout(0));
        e = assertThrows(IllegalArgumentException.class, () -> Augmentation.of(Augmentation.cutout(1), null));
        assertTrue(e.getMessage().contains("null as transform 2 of 2"), e.getMessage());
    }

    /** 40 images of 1x6x6 with distinct values, and labels of 4 classes. */
    private static Dataset images() {
        Rng rng = new Rng(11);
        float[] x = new float[40 * 36];
        int[] y = new int[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat();
        }
        for (int i = 0; i < 40; i++) {
            y[i] = (i * 7) % 4;
        }
        return Dataset.classification(x, new int[] {1, 6, 6}, y, 4);
    }

    private static final Augmentation ALL = Augmentation.of(Augmentation.horizontalFlip(), Augmentation.randomCrop(1),
            Augmentation.shift(1, 1), Augmentation.rotateScale(10, 0.1), Augmentation.gaussianNoise(0.05),
            Augmentation.cutout(2));

    /** Every batch of two epochs, features and targets one after another. */
    private static float[][] batches(int workers, int prefetch, Augmentation a) {
        Dataset data = images();
        int[] order = new int[40];
        for (int i = 0; i < 40; i++) {
            order[i] = i;
        }
        float[][] out = new float[2 * 5 * 2][];
        try (BatchLoader loader = new BatchLoader(data, 8, a, 42, workers, prefetch)) {
            Rng shuffle = new Rng(3);
            for (int epoch = 1, k = 0; epoch <= 2; epoch++) {
                shuffle.shuffle(order);
                loader.startEpoch(epoch, order, 5);
                for (int b = 0; b < 5; b++) {
                    BatchLoader.Batch batch = loader.next();
                    for (int r = 0; r < 8; r++) {
                        assertEquals(order[b * 8 + r], batch.rows()[r]);
                    }
                    out[k++] = batch.features().clone();
                    out[k++] = batch.targets().clone();
                }
            }
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameBatchesWhateverTheThreads() {
        float[][] inline = batches(1, 0, ALL);
        assertArrayEquals(inline, batches(1, 1, ALL));
        assertArrayEquals(inline, batches(3, 4, ALL));
        float[][] plain = batches(2, 3, null);
        assertFalse(Arrays.deepEquals(inline, plain), "the augmentation changes the features");
        // labels untouched: the targets of each batch are the rows' own, augmented or not
        for (int k = 1; k < inline.length; k += 2) {
            assertArrayEquals(plain[k], inline[k]);
        }
        Dataset data = images();
        int[] rows = new int[40];
        for (int i = 0; i < 40; i++) {
            rows[i] = i;
        }
        new Rng(3).shuffle(rows);
        float[] expected = data.select(Arrays.copyOf(rows, 8)).features();
        assertArrayEquals(expected, plain[0], "without augmentation a batch is its rows' features");
    }

    @Test
    void anErrorWhilePreparingReachesTheCallerWithItsCause() {
        Dataset data = images();
        DataSource failing = new DataSource() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public int[] shape() {
                return data.shape();
            }

            @Override
            public int targetSize() {
                return data.targetSize();
            }

            @Override
            public void read(int row, float[] f, int fo, float[] t, int to) {
                if (row == 13) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("row 13 is unreadable"));
                }
                data.read(row, f, fo, t, to);
            }
        };
        int[] order = new int[40];
        for (int i = 0; i < 40; i++) {
            order[i] = i;
        }
        try (BatchLoader loader = new BatchLoader(failing, 8, null, 1, 2, 2)) {
            loader.startEpoch(1, order, 5);
            loader.next();
            IllegalStateException e = assertThrows(IllegalStateException.class, loader::next);
            assertTrue(e.getMessage().contains("batch 2 of 5 in epoch 1"), e.getMessage());
            assertSame(java.io.UncheckedIOException.class, e.getCause().getClass());
            assertTrue(e.getCause().getMessage().contains("row 13 is unreadable"));
        }
    }
}
