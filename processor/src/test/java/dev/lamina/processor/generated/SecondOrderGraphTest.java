package dev.lamina.processor.generated;

import static dev.lamina.processor.generated.Fixtures.direction;
import static dev.lamina.processor.generated.Fixtures.largest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp.Mode;
import dev.lamina.runtime.analysis.hessian.GeneratedHvp;
import dev.lamina.runtime.analysis.hessian.HessianMatrix;
import dev.lamina.runtime.analysis.hessian.HessianVectorProduct;
import org.junit.jupiter.api.Test;

/**
 * The generated R-passes through dropout, concatenation and embeddings ({@link SecondOrderGraphNets}) against
 * central differences of the gradient ({@link FiniteDifferenceHvp}, which restarts the dropout masks from one seed
 * before each evaluation, as {@link GeneratedHvp} does before the forward pass its product follows), in training
 * and inference mode, for several directions; the full Hessian from generated products, symmetric to rounding; and
 * the product of a dropout network belonging to the masks of the forward pass before it.
 */
class SecondOrderGraphTest {
    private static final int N = 6;

    /** Token ids in {@code [0, tokens)}, as floats. */
    private static float[] ids(int count, int tokens, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] ids = new float[count];
        for (int i = 0; i < count; i++) {
            ids[i] = random.nextInt(tokens);
        }
        return ids;
    }

    /**
     * Checks the generated {@code H v} of {@code m} against finite differences in {@code mode} for three directions,
     * to {@code 2e-3} of the largest entry; returns the generated products and prints the largest difference.
     */
    private static double[][] checkAgainstFiniteDifferences(Model m, float[] x, float[] t, Mode mode) {
        float[] before = m.parameterArray();
        HessianVectorProduct exact = GeneratedHvp.of(m, x, t, N, mode);
        FiniteDifferenceHvp fd = FiniteDifferenceHvp.of(m, x, t, N, mode);
        double worst = 0;
        double[][] products = new double[3][];
        for (int d = 0; d < 3; d++) {
            double[] v = direction(exact.size(), 40 + d);
            double[] hv = exact.apply(v);
            double[] approx = fd.apply(v);
            double scale = largest(approx);
            assertTrue(scale > 1e-6, m.name() + " " + mode + ": a product that is not zero, found " + scale);
            for (int k = 0; k < hv.length; k++) {
                worst = Math.max(worst, Math.abs(hv[k] - approx[k]) / scale);
                assertEquals(approx[k], hv[k], 2e-3 * scale, m.name() + " " + mode + ": (H v)[" + k + "], direction "
                        + d);
            }
            products[d] = hv;
        }
        assertArrayEquals(before, m.parameterArray(), m.name() + ": parameters restored bit for bit");
        System.out.printf("%s, %s: R-pass against finite differences, 3 directions, largest difference %.3g of "
                + "|H v|%n", m.name(), mode, worst);
        return products;
    }

    private static void checkSymmetric(Model m, float[] x, float[] t, Mode mode) {
        HessianMatrix h = HessianMatrix.of(GeneratedHvp.of(m, x, t, N, mode));
        System.out.printf("%s, %s: W = %d, asymmetry of the generated products %.3g%n", m.name(), mode, h.size(),
                h.asymmetry());
        assertTrue(h.asymmetry() < Fixtures.FLOAT_ASYMMETRY, m.name() + " " + mode + ": asymmetry " + h.asymmetry());
    }

    @Test
    void dropoutAgreesWithFiniteDifferencesThatSeeTheSameMasks() {
        Model m = SecondOrderGraphNets_DroppedNet.create(31);
        float[] x = Fixtures.gaussian(N * 4, 32);
        float[] t = Fixtures.oneHot(N, 3, 33);
        double[][] training = checkAgainstFiniteDifferences(m, x, t, Mode.TRAINING);
        double[][] inference = checkAgainstFiniteDifferences(m, x, t, Mode.INFERENCE);
        // the training product is that of the masked network: it must differ from the inference one
        double apart = 0;
        for (int k = 0; k < training[0].length; k++) {
            apart = Math.max(apart, Math.abs(training[0][k] - inference[0][k]));
        }
        assertTrue(apart > 1e-2 * largest(inference[0]), "training and inference products differ, found " + apart);
        checkSymmetric(m, x, t, Mode.TRAINING);
    }

    @Test
    void theDropoutProductUsesTheMasksOfTheForwardPassItFollows() {
        Model m = SecondOrderGraphNets_DroppedNet.create(34);
        float[] x = Fixtures.gaussian(N * 4, 35);
        float[] t = Fixtures.oneHot(N, 3, 36);
        double[] v = direction(m.parameterCount(), 37);
        m.reserve(N);
        for (int r = 0; r < N; r++) {
            m.setInput(r, x, r * 4);
            m.setTarget(r, t, r * 3);
        }
        m.setTraining(true);
        double[] first = productAfterForward(m, 1, v);
        double[] other = productAfterForward(m, 2, v);
        double[] again = productAfterForward(m, 1, v);
        assertArrayEquals(first, again, "the same masks give the same product, bit for bit");
        double apart = 0;
        for (int k = 0; k < first.length; k++) {
            apart = Math.max(apart, Math.abs(first[k] - other[k]));
        }
        assertTrue(apart > 1e-2 * largest(first), "other masks give another product, found a difference " + apart);
    }

    /**
     * A network that asks for the R-passes keeps each dropout a step of its own; its masks (keyed by the dropout's
     * field) and so its loss and gradient in training mode are those of the same network with the dropouts folded.
     */
    @Test
    void unfoldedDropoutIsTheFunctionTheFoldedOneComputes() {
        Model unfolded = SecondOrderGraphNets_DroppedNet.create(38);
        Model folded = SecondOrderGraphNets_DroppedFusedNet.create(38);
        assertArrayEquals(folded.parameterArray(), unfolded.parameterArray(), "the same initial parameters");
        float[] x = Fixtures.gaussian(N * 4, 39);
        float[] t = Fixtures.oneHot(N, 3, 39);
        FiniteDifferenceHvp a = FiniteDifferenceHvp.of(unfolded, x, t, N, Mode.TRAINING);
        FiniteDifferenceHvp b = FiniteDifferenceHvp.of(folded, x, t, N, Mode.TRAINING);
        double lossA = a.loss();
        double lossB = b.loss();
        double[] gradientA = a.gradient();
        double[] gradientB = b.gradient();
        double worst = 0;
        for (int k = 0; k < gradientA.length; k++) {
            worst = Math.max(worst, Math.abs(gradientA[k] - gradientB[k]));
            assertEquals(gradientB[k], gradientA[k], 1e-6 * largest(gradientB), "gradient " + k);
        }
        assertEquals(lossB, lossA, 1e-6 * Math.abs(lossB), "the loss");
        System.out.printf("dropout unfolded against folded, training: loss %.9g against %.9g, largest gradient "
                + "difference %.3g (largest entry %.3g)%n", lossA, lossB, worst, largest(gradientB));
    }

    private static double[] productAfterForward(Model m, long dropoutSeed, double[] v) {
        m.state().reseedDropout(dropoutSeed);
        m.forward(N);
        double[] out = new double[v.length];
        m.hessianVectorProduct(N, v, out);
        return out;
    }

    @Test
    void concatenationAgreesWithFiniteDifferences() {
        Model m = SecondOrderGraphNets_JoinedNet.create(41);
        float[] x = Fixtures.gaussian(N * 4, 42);
        float[] t = Fixtures.oneHot(N, 3, 43);
        double[][] training = checkAgainstFiniteDifferences(m, x, t, Mode.TRAINING);
        double[][] inference = checkAgainstFiniteDifferences(m, x, t, Mode.INFERENCE);
        assertArrayEquals(training[0], inference[0], "no dropout or batch norm: both modes agree bit for bit");
        checkSymmetric(m, x, t, Mode.INFERENCE);
    }

    @Test
    void embeddingAgreesWithFiniteDifferences() {
        Model m = SecondOrderGraphNets_TokensNet.create(51);
        // ids of four of the five tokens, so that one row of the table is never read
        float[] x = ids(N * 4, 4, 52);
        float[] t = Fixtures.oneHot(N * 4, 5, 53);
        checkAgainstFiniteDifferences(m, x, t, Mode.TRAINING);
        double[][] inference = checkAgainstFiniteDifferences(m, x, t, Mode.INFERENCE);
        // the table's row of token 4, which no position holds, gets nothing (embed.weight [5][3] comes first)
        for (double[] hv : inference) {
            for (int j = 0; j < 3; j++) {
                assertEquals(0.0, hv[4 * 3 + j], "row of the unread token, column " + j);
            }
        }
        checkSymmetric(m, x, t, Mode.TRAINING);
    }
}
