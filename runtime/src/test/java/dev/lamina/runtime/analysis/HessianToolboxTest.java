package dev.lamina.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.analysis.hessian.DenseSolve;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp;
import dev.lamina.runtime.analysis.hessian.HessianMatrix;
import dev.lamina.runtime.analysis.hessian.Hutchinson;
import dev.lamina.runtime.analysis.hessian.NewtonStep;
import dev.lamina.runtime.analysis.hessian.PowerIteration;
import dev.lamina.runtime.analysis.hessian.SharpnessReport;
import dev.lamina.runtime.analysis.hessian.ShermanMorrison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hessian toolbox ({@code analysis.hessian}) on a stand-in model whose loss is a quadratic
 * {@code E(w) = w^T A w / 2 - b^T w} with a chosen symmetric {@code A}: its Hessian is {@code A} everywhere, so
 * finite differences of its gradient carry rounding only, and every tool has an exact answer. The tools on real
 * networks are checked in the processor module ({@code HessianTest}).
 */
class HessianToolboxTest {
    private static final int W = 8;

    /** The quadratic: the loss and gradient from the parameters, computed in double, gradients stored in float. */
    private static final class Quadratic implements Model {
        private final NetworkState state = new NetworkState("quadratic", Loss.MEAN_SQUARED_ERROR, new int[] {1}, 1,
                W + 2, 0, 1, 0);
        private final double[] a;
        private final double[] b;
        private int backwards;

        Quadratic(double[] a, double[] b) {
            this.a = a;
            this.b = b;
            // the weights and the bias, as a layer would have them: the flat order is the tensors' order
            state.parameter("q.bias", Tensor.Kind.BIAS, new int[] {3}, W - 1, 1f);
            state.parameter("q.weight", Tensor.Kind.WEIGHT, new int[] {W - 3}, 0, 1f);
            state.initialize(3);
        }

        /** Value {@code k} of the flat vector (q.bias first, then q.weight, as the tensors are listed). */
        private double w(int k) {
            return parameterTensors().get(k < 3 ? 0 : 1).get(k < 3 ? k : k - 3);
        }

        @Override
        public NetworkState state() {
            return state;
        }

        @Override
        public void forward(int batch) {
        }

        @Override
        public double loss(int batch) {
            double e = 0;
            for (int i = 0; i < W; i++) {
                double row = 0;
                for (int j = 0; j < W; j++) {
                    row += a[i * W + j] * w(j);
                }
                e += w(i) * row / 2 - b[i] * w(i);
            }
            return e;
        }

        @Override
        public void backward(int batch) {
            backwards++;
            for (int i = 0; i < W; i++) {
                double g = -b[i];
                for (int j = 0; j < W; j++) {
                    g += a[i * W + j] * w(j);
                }
                Tensor t = parameterTensors().get(i < 3 ? 0 : 1);
                gradients().floats().put(t.offset() + (i < 3 ? i : i - 3), (float) g);
            }
        }

        @Override
        public float output(int row, int k) {
            return 0;
        }
    }

    /** {@code Q diag(lambda) Q^T} with a random orthogonal Q (Gram-Schmidt on Gaussian columns). */
    private static double[] withEigenvalues(double[] lambda, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int w = lambda.length;
        double[][] q = new double[w][w];
        for (int c = 0; c < w; c++) {
            for (int i = 0; i < w; i++) {
                q[c][i] = random.nextDouble(-1, 1);
            }
            for (int p = 0; p < c; p++) {
                double d = 0;
                for (int i = 0; i < w; i++) {
                    d += q[c][i] * q[p][i];
                }
                for (int i = 0; i < w; i++) {
                    q[c][i] -= d * q[p][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < w; i++) {
                norm += q[c][i] * q[c][i];
            }
            for (int i = 0; i < w; i++) {
                q[c][i] /= Math.sqrt(norm);
            }
        }
        double[] a = new double[w * w];
        for (int i = 0; i < w; i++) {
            for (int j = 0; j < w; j++) {
                for (int c = 0; c < w; c++) {
                    a[i * w + j] += q[c][i] * lambda[c] * q[c][j];
                }
            }
        }
        return a;
    }

    private static double[] vector(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[W];
        for (int i = 0; i < W; i++) {
            v[i] = random.nextDouble(-1, 1);
        }
        return v;
    }

    private static FiniteDifferenceHvp hvp(Model m) {
        return FiniteDifferenceHvp.of(m, new float[] {0}, new float[] {0}, 1, FiniteDifferenceHvp.Mode.INFERENCE);
    }

    private static final double[] INDEFINITE = {9, -6, 4, 2.5, 1, 0.5, -0.25, 0.1};
    private static final double[] DEFINITE = {9, 6, 4, 2.5, 1, 0.5, 0.25, 0.1};

    @Test
    void productsAreTheQuadraticsMatrixTimesTheDirectionAndLeaveTheParametersBitForBit() {
        double[] a = withEigenvalues(INDEFINITE, 1);
        Quadratic m = new Quadratic(a, vector(2));
        float[] before = m.parameterArray();
        double[] v = vector(3);
        double[] product = hvp(m).apply(v);
        assertArrayEquals(before, m.parameterArray());
        assertEquals(2, m.backwards, "two gradients per product");
        // the gradients (of order 10) are stored in float, about 1e-6 each, divided by 2e = 1e-2: 1e-4
        for (int i = 0; i < W; i++) {
            double exact = 0;
            for (int j = 0; j < W; j++) {
                exact += a[i * W + j] * v[j];
            }
            assertEquals(exact, product[i], 1e-3, "row " + i);
        }
        assertArrayEquals(new double[W], hvp(m).apply(new double[W]));
        assertThrows(IllegalArgumentException.class, () -> hvp(m).apply(new double[W - 1]));
    }

    @Test
    void theFullHessianIsTheMatrixWithItsAsymmetryMeasured() {
        double[] a = withEigenvalues(INDEFINITE, 4);
        HessianMatrix h = HessianMatrix.of(hvp(new Quadratic(a, vector(5))));
        assertEquals(W, h.size());
        for (int i = 0; i < W; i++) {
            for (int j = 0; j < W; j++) {
                assertEquals(a[i * W + j], h.get(i, j), 1e-3, "(" + i + ", " + j + ")");
                assertEquals(h.get(i, j), h.get(j, i), "the kept copy is symmetric");
            }
        }
        assertTrue(h.asymmetry() > 0 && h.asymmetry() < 1e-3, "asymmetry " + h.asymmetry());
    }

    @Test
    void powerIterationFindsTheLargestEigenvaluesOfTheFullHessian() {
        double[] a = withEigenvalues(INDEFINITE, 6);
        FiniteDifferenceHvp op = hvp(new Quadratic(a, vector(7)));
        HessianMatrix h = HessianMatrix.of(op);
        double[] exact = SymmetricEigen.of(h.values(), W).values;
        // largest magnitude first: 9, -6, 4
        double[] byMagnitude = java.util.Arrays.stream(exact).boxed()
                .sorted((x, y) -> Double.compare(Math.abs(y), Math.abs(x))).mapToDouble(Double::doubleValue).toArray();
        PowerIteration.Eigenpairs top = PowerIteration.top(op, 3, 500, 1e-9, 8);
        for (int e = 0; e < 3; e++) {
            assertEquals(byMagnitude[e], top.values()[e], 1e-3 * Math.abs(byMagnitude[e]), "eigenvalue " + e);
            double[] hv = h.times(top.vectors().get(e));
            for (int i = 0; i < W; i++) {
                assertEquals(top.values()[e] * top.vectors().get(e)[i], hv[i], 1e-2, "eigenvector " + e);
            }
        }
    }

    @Test
    void hutchinsonsTraceIsWithinItsStandardErrorOfTheExactTrace() {
        double[] a = withEigenvalues(INDEFINITE, 9);
        FiniteDifferenceHvp op = hvp(new Quadratic(a, vector(10)));
        double exact = HessianMatrix.of(op).trace();
        Hutchinson.Estimate estimate = Hutchinson.trace(op, 300, 11);
        assertTrue(estimate.standardError() > 0);
        assertTrue(Math.abs(estimate.trace() - exact) <= 3 * estimate.standardError(),
                estimate + " against " + exact);
    }

    @Test
    void newtonsStepLandsOnTheQuadraticsMinimumInOneStep() {
        double[] a = withEigenvalues(DEFINITE, 12);
        double[] b = vector(13);
        Quadratic m = new Quadratic(a, b);
        FiniteDifferenceHvp op = hvp(m);
        double[] g = op.gradient();
        double[] step = NewtonStep.of(HessianMatrix.of(op), g);
        double[] minimum = DenseSolve.lu(a, b);
        double[] w = new double[W];
        for (int i = 0; i < W; i++) {
            w[i] = m.w(i) + step[i];
            assertEquals(minimum[i], w[i], 1e-3, "parameter " + i);
        }
        // the lowest eigenvalue 0.1 turns the Hessian's error (1e-4) into a 1e-3 error of the minimum
        m.parameterTensors().get(0).copyFrom(new float[] {(float) w[0], (float) w[1], (float) w[2]});
        float[] rest = new float[W - 3];
        for (int i = 3; i < W; i++) {
            rest[i - 3] = (float) w[i];
        }
        m.parameterTensors().get(1).copyFrom(rest);
        double after = 0;
        for (double x : op.gradient()) {
            after = Math.max(after, Math.abs(x));
        }
        double beforeNorm = java.util.Arrays.stream(g).map(Math::abs).max().orElseThrow();
        assertTrue(after < 1e-3 * beforeNorm, "gradient " + after + " after the step, " + beforeNorm + " before");
    }

    @Test
    void choleskyRefusesAnIndefiniteHessianAndLuStillSolvesIt() {
        double[] a = withEigenvalues(INDEFINITE, 14);
        double[] b = vector(15);
        HessianMatrix h = HessianMatrix.symmetrised(a, W);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NewtonStep.of(h, b));
        assertTrue(e.getMessage().contains("positive definite") && e.getMessage().contains("pivot"),
                e.getMessage());
        double[] x = NewtonStep.stationary(h, b);
        double[] back = h.times(x);
        for (int i = 0; i < W; i++) {
            assertEquals(-b[i], back[i], 1e-12);
        }
    }

    @Test
    void theOptimalStepSizeIsTheGradientsSquareOverItsCurvature() {
        double[] a = withEigenvalues(DEFINITE, 16);
        Quadratic m = new Quadratic(a, vector(17));
        FiniteDifferenceHvp op = hvp(m);
        double[] g = op.gradient();
        double gg = 0;
        double gag = 0;
        for (int i = 0; i < W; i++) {
            gg += g[i] * g[i];
            for (int j = 0; j < W; j++) {
                gag += g[i] * a[i * W + j] * g[j];
            }
        }
        assertEquals(gg / gag, NewtonStep.optimalStepSize(op), 1e-4 * gg / gag);
    }

    @Test
    void shermanMorrisonEqualsTheDirectInverse() {
        int w = 7;
        double alpha = 0.5;
        List<double[]> bs = new ArrayList<>();
        double[] matrix = new double[w * w];
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < w; i++) {
            matrix[i * w + i] = alpha;
        }
        for (int t = 0; t < 12; t++) {
            double[] b = new double[w];
            for (int i = 0; i < w; i++) {
                b[i] = random.nextDouble(-2, 2);
            }
            bs.add(b);
            for (int i = 0; i < w; i++) {
                for (int j = 0; j < w; j++) {
                    matrix[i * w + j] += b[i] * b[j];
                }
            }
        }
        double[] direct = DenseSolve.inverse(matrix, w);
        double[] sequential = ShermanMorrison.inverse(w, alpha, bs);
        double largest = java.util.Arrays.stream(direct).map(Math::abs).max().orElseThrow();
        assertArrayEquals(direct, sequential, 1e-10 * largest);
        assertThrows(IllegalArgumentException.class, () -> ShermanMorrison.inverse(w, 0, bs));
    }

    @Test
    void theSharpnessReportHoldsTheTopEigenvalueAndIsWrittenAsJson(@TempDir Path dir) throws IOException {
        double[] a = withEigenvalues(DEFINITE, 19);
        FiniteDifferenceHvp op = hvp(new Quadratic(a, vector(20)));
        SharpnessReport report = SharpnessReport.of("quadratic", op, 2, 50, 21);
        assertEquals(9, report.topEigenvalues()[0], 9e-3);
        assertEquals(6, report.topEigenvalues()[1], 6e-3);
        assertEquals(W, report.parameters());
        String text = report.toString();
        assertTrue(text.contains("eigenvalue 1") && text.contains("trace"), text);
        Path file = dir.resolve("sharpness.json");
        report.write(file);
        Map<String, Object> read = new HashMap<>();
        List<Double> eigenvalues = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(Files.readString(file))) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        eigenvalues.add(p.getDoubleValue());
                    }
                } else {
                    read.put(name, value == JsonToken.VALUE_STRING ? p.getText() : p.getDoubleValue());
                }
            }
        }
        assertEquals("quadratic", read.get("network"));
        assertEquals(report.loss(), (Double) read.get("loss"));
        assertEquals(report.trace(), (Double) read.get("trace"));
        assertEquals(report.traceStandardError(), (Double) read.get("traceStandardError"));
        assertEquals(List.of(report.topEigenvalues()[0], report.topEigenvalues()[1]), eigenvalues);
    }
}
