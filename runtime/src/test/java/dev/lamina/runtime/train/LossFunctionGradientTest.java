package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Rng;
import org.junit.jupiter.api.Test;

/**
 * Each built-in {@link LossFunction}'s gradient against central differences of its own value (no network): the
 * outputs are floats, so each is moved to the float nearest {@code y +- h} and the difference quotient divides by
 * the step actually taken, {@code (f(y+) - f(y-)) / (y+ - y-)}, in double. Outputs are drawn away from the losses'
 * kinks (a hinge's, smooth L1's, L1's), where a difference quotient straddling the kink measures neither side.
 *
 * <p>Tolerance: {@code |analytic - numeric| <= 1e-4 * max(scale, |numeric|)} with {@code scale} the largest
 * numeric derivative. With {@code h = 1e-3}, the quotient's truncation error is {@code h^2 f''' / 6}, about
 * {@code 1e-7} times the derivatives' size for these losses, and its rounding error {@code 1e-16 / h}; the analytic
 * gradient is stored as float (relative {@code 6e-8}). 1e-4 leaves a margin of a hundred over both, and a wrong
 * factor (a missing {@code 1/n}, {@code 1/C} or {@code 1/beta}) is off by far more.
 */
class LossFunctionGradientTest {
    private static final double H = 1e-3;
    private static final double TOLERANCE = 1e-4;

    @Test
    void meanSquaredError() {
        OutputBatch b = batch(4, new int[] {5}, 1, false);
        check(LossFunction.meanSquaredError(), b);
    }

    @Test
    void multiMarginWithDefaultAndOtherMargins() {
        for (double margin : new double[] {1, 0.5, 2}) {
            OutputBatch b = batch(6, new int[] {4}, 2, true);
            b = awayFromHinges(b, margin);
            check(LossFunction.multiMargin(margin), b);
        }
    }

    @Test
    void smoothL1AndL1AndHuber() {
        for (double beta : new double[] {1, 0.3}) {
            OutputBatch b = batch(3, new int[] {2, 3}, 3, false);
            b = awayFrom(b, new double[] {-beta, beta});
            check(LossFunction.smoothL1(beta), b);
        }
        OutputBatch l1 = awayFrom(batch(3, new int[] {7}, 4, false), new double[] {0});
        check(LossFunction.smoothL1(0), l1);
        for (double delta : new double[] {0.5, 2}) {
            OutputBatch b = awayFrom(batch(4, new int[] {3, 2, 2}, 5, false), new double[] {-delta, delta});
            check(LossFunction.huber(delta), b);
        }
    }

    @Test
    void crossEntropyOverPositionsOfAnImageASequenceAndAVector() {
        check(LossFunction.crossEntropyOverPositions(), batch(2, new int[] {4, 3, 2}, 6, true));
        check(LossFunction.crossEntropyOverPositions(), batch(3, new int[] {5, 3}, 7, true));
        check(LossFunction.crossEntropyOverPositions(), batch(3, new int[] {6}, 8, true));
        check(LossFunction.crossEntropyOverPositions(), soft(batch(2, new int[] {3, 2, 2}, 9, true), 3));
    }

    @Test
    void theGradientOfAJavaMeanSquaredErrorIsTheFusedOnes() {
        // the fused MEAN_SQUARED_ERROR writes (y - t) / n (docs/PYTORCH.md); so must the Java one, to the bit
        OutputBatch b = batch(3, new int[] {4}, 10, false);
        float[] g = new float[b.outputs().length];
        LossFunction.meanSquaredError().loss(b, g);
        for (int i = 0; i < g.length; i++) {
            assertEquals((float) (((double) b.outputs()[i] - b.targets()[i]) / 3), g[i]);
        }
    }

    @Test
    void badInputIsRefusedWithWhatWasExpected() {
        OutputBatch image = batch(2, new int[] {3, 2, 2}, 11, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LossFunction.multiMargin().loss(image, null));
        assertTrue(e.getMessage().contains("vector of at least 2 classes"), e.getMessage());
        // a two-hot target
        float[] t = new float[8];
        t[1] = 1;
        t[2] = 1;
        t[4] = 1;
        OutputBatch twoHot = new OutputBatch(new float[8], t, 2, new int[] {4});
        e = assertThrows(IllegalArgumentException.class, () -> LossFunction.multiMargin().loss(twoHot, null));
        assertTrue(e.getMessage().contains("one-hot") && e.getMessage().contains("row 0"), e.getMessage());
        // masks given channels first: the first position's "classes" are one channel's positions
        float[] chw = new float[12];
        chw[0] = 1;
        chw[1] = 1;
        chw[2] = 1;
        chw[3] = 1;
        OutputBatch channelsFirst = new OutputBatch(new float[12], chw, 1, new int[] {3, 2, 2});
        e = assertThrows(IllegalArgumentException.class,
                () -> LossFunction.crossEntropyOverPositions().loss(channelsFirst, null));
        assertTrue(e.getMessage().contains("channels last") && e.getMessage().contains("position 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new OutputBatch(new float[5], new float[6], 2, new int[] {3}));
        assertTrue(e.getMessage().contains("2 x 3 = 6") && e.getMessage().contains("found 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LossFunction.meanSquaredError().loss(batch(2, new int[] {3}, 1, false), new float[5]));
        assertTrue(e.getMessage().contains("is 6 floats, found 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossFunction.smoothL1(-1));
        assertThrows(IllegalArgumentException.class, () -> LossFunction.huber(0));
        assertThrows(IllegalArgumentException.class, () -> LossFunction.multiMargin(Double.NaN));
    }

    @Test
    void accuracyIsCountedPerRowAndPerPosition() {
        // two rows of 3 classes: row 0 right, row 1 wrong
        float[] y = {0, 2, 1, 3, 0, 1};
        float[] t = {0, 1, 0, 0, 0, 1};
        assertEquals(1.0, LossFunction.multiMargin().correct(new OutputBatch(y, t, 2, new int[] {3})));
        // one row of an image [2, 1, 2]: position 0 right, position 1 wrong: half a row
        float[] yi = {1, 0, 1, 0};
        float[] ti = {1, 0, 0, 1};
        assertEquals(0.5, LossFunction.crossEntropyOverPositions().correct(new OutputBatch(yi, ti, 1,
                new int[] {2, 1, 2})));
        assertTrue(Double.isNaN(LossFunction.smoothL1(1).correct(new OutputBatch(yi, ti, 1, new int[] {4}))));
    }

    // ------------------------------------------------------------------------------------------ the check

    /** Central differences of {@code f}'s value against its gradient, every output. */
    private static void check(LossFunction f, OutputBatch b) {
        float[] y = b.outputs();
        float[] analytic = new float[y.length];
        double value = f.loss(b, analytic);
        assertEquals(value, f.loss(b, null), 0, f + ": the value does not depend on whether a gradient is asked");
        double[] numeric = new double[y.length];
        double scale = 0;
        for (int i = 0; i < y.length; i++) {
            float keep = y[i];
            float up = (float) (keep + H);
            float down = (float) (keep - H);
            y[i] = up;
            double fUp = f.loss(b, null);
            y[i] = down;
            double fDown = f.loss(b, null);
            y[i] = keep;
            numeric[i] = (fUp - fDown) / ((double) up - down);
            scale = Math.max(scale, Math.abs(numeric[i]));
        }
        assertTrue(scale > 0, f + ": a check of a loss with no gradient shows nothing");
        double worst = 0;
        for (int i = 0; i < y.length; i++) {
            double err = Math.abs(analytic[i] - numeric[i]) / Math.max(scale, Math.abs(numeric[i]));
            worst = Math.max(worst, err);
            assertTrue(err <= TOLERANCE, f + ": output " + i + " analytic " + analytic[i] + " numeric " + numeric[i]
                    + " (relative " + err + ")");
        }
        System.out.println("loss-gradient " + f + " " + java.util.Arrays.toString(b.shape()) + " worst " + worst);
    }

    // ------------------------------------------------------------------------------------------ batches

    /**
     * {@code rows} rows of {@code shape}: Gaussian outputs, targets Gaussian or one-hot per group of classes (the
     * last axis of a vector or sequence, the channels of an image, stored channels last).
     */
    private static OutputBatch batch(int rows, int[] shape, long seed, boolean oneHot) {
        Rng rng = new Rng(seed);
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        float[] y = new float[rows * size];
        float[] t = new float[rows * size];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (1.5 * rng.nextGaussian());
        }
        if (oneHot) {
            int classes = shape.length == 3 ? shape[0] : shape[shape.length - 1];
            for (int g = 0; g < y.length / classes; g++) {
                t[g * classes + rng.nextInt(classes)] = 1;
            }
        } else {
            for (int i = 0; i < t.length; i++) {
                t[i] = (float) rng.nextGaussian();
            }
        }
        return new OutputBatch(y, t, rows, shape);
    }

    /** Soft targets: each position's one-hot target smoothed toward uniform. */
    private static OutputBatch soft(OutputBatch b, int classes) {
        float[] t = b.targets();
        for (int i = 0; i < t.length; i++) {
            t[i] = t[i] == 1 ? 0.7f : 0.3f / (classes - 1);
        }
        return b;
    }

    /** Moves each output whose difference from its target lies within 10 h of a kink 20 h away from it. */
    private static OutputBatch awayFrom(OutputBatch b, double[] kinks) {
        float[] y = b.outputs();
        float[] t = b.targets();
        for (int i = 0; i < y.length; i++) {
            for (double k : kinks) {
                double d = (double) y[i] - t[i];
                if (Math.abs(d - k) < 10 * H) {
                    y[i] = (float) (t[i] + k + 20 * H);
                }
            }
        }
        return b;
    }

    /** Moves scores whose hinge {@code margin - x_y + x_i} lies within 10 h of 0 by 20 h. */
    private static OutputBatch awayFromHinges(OutputBatch b, double margin) {
        int classes = b.shape()[0];
        float[] x = b.outputs();
        float[] t = b.targets();
        for (int r = 0; r < b.rows(); r++) {
            int y = 0;
            while (t[r * classes + y] != 1) {
                y++;
            }
            for (int i = 0; i < classes; i++) {
                double z = margin - x[r * classes + y] + x[r * classes + i];
                if (i != y && Math.abs(z) < 10 * H) {
                    x[r * classes + i] += (float) (20 * H);
                }
            }
        }
        return b;
    }
}
