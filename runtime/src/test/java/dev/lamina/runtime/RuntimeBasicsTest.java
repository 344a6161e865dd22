package dev.lamina.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.data.Csv;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.Idx;
import dev.lamina.runtime.data.Standardizer;
import dev.lamina.runtime.kernels.ConvGeometry;
import dev.lamina.runtime.kernels.Im2col;
import dev.lamina.runtime.train.LearningRateSchedule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeBasicsTest {

    @Test
    void uniformParametersFillTheirRangeAndGaussianOnesKeepTheirKinds() {
        NetworkState state = new NetworkState("Twin", Loss.SOFTMAX_CROSS_ENTROPY, new int[] {4}, 2, 40_010, 0, 0, 0);
        Tensor uniform = state.uniformParameter("a.weight", Tensor.Kind.WEIGHT, new int[] {100, 200}, 0, 0.25f);
        Tensor uniformBias = state.uniformParameter("a.bias", Tensor.Kind.BIAS, new int[] {10_000}, 20_000, 0.5f);
        Tensor gaussianBias = state.parameter("b.bias", Tensor.Kind.BIAS, new int[] {10}, 30_000, 0f);
        Tensor gaussian = state.parameter("b.weight", Tensor.Kind.WEIGHT, new int[] {10_000}, 30_010, 0.1f);
        state.initialize(7);
        assertUniform(uniform.toArray(), 0.25);
        assertUniform(uniformBias.toArray(), 0.5);
        for (float v : gaussianBias.toArray()) {
            assertEquals(0f, v);
        }
        double squares = 0;
        for (float v : gaussian.toArray()) {
            squares += v * v;
        }
        assertEquals(0.1, Math.sqrt(squares / gaussian.length()), 0.005);
    }

    /** Inside [-bound, bound], with U(-b, b)'s variance b^2 / 3 and mean 0. */
    private static void assertUniform(float[] values, double bound) {
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            assertTrue(Math.abs(v) <= bound, v + " outside +-" + bound);
            sum += v;
            squares += v * v;
        }
        assertEquals(0, sum / values.length, 0.02 * bound);
        assertEquals(bound * bound / 3, squares / values.length, 0.03 * bound * bound);
    }

    @Test
    void gemmWithTwoOffsetsIntoOneBlock() {
        Memory m = Memory.allocate(2 + 4 + 2 + 2);
        m.floats().put(0, new float[] {9, 9, 1, 2, 3, 4, 5, 6});
        // C[1x2] at 8 = A[1x2] at 2 times B[2x2]^T at 4
        Blas.forward(1, 2, 2, m, 2, m, 4, m, 8);
        assertArrayEquals(new float[] {1 * 3 + 2 * 4, 1 * 5 + 2 * 6}, new float[] {m.floats().get(8), m.floats().get(9)});
    }

    @Test
    void clearZeroesExactlyTheFloatsAskedFor() {
        Memory m = Memory.allocate(5000);
        m.fill(1f);
        m.clear(3, 4200);
        float[] f = m.toArray();
        for (int i = 0; i < f.length; i++) {
            assertEquals(i >= 3 && i < 4203 ? 0f : 1f, f[i], "float " + i);
        }
    }

    @Test
    void unfoldAndFoldAreTransposes() {
        // few channels (copied by a loop) and many (copied by arraycopy); padding, stride and dilation
        unfoldAndFoldAreTransposes(new ConvGeometry(5, 4, 2, 3, 1, 1, 1, 5, 4, 1));
        unfoldAndFoldAreTransposes(new ConvGeometry(7, 6, 17, 3, 2, 1, 2, 3, 2, 1));
    }

    private static void unfoldAndFoldAreTransposes(ConvGeometry g) {
        // <fold(u), x> == <u, unfold(x)> for random x and u
        int n = 2;
        int in = n * g.inputSize(), cols = n * g.positions() * g.fieldSize();
        Memory x = Memory.allocate(in), u = Memory.allocate(cols), ux = Memory.allocate(cols), fu = Memory.allocate(in);
        Rng rng = new Rng(1);
        for (int i = 0; i < in; i++) x.floats().put(i, rng.nextFloat());
        for (int i = 0; i < cols; i++) u.floats().put(i, rng.nextFloat());
        Im2col.unfold(x.floats(), 0, n, g, ux.floats(), 0);
        Im2col.fold(u.floats(), 0, n, g, fu.floats(), 0);
        double a = 0, b = 0;
        for (int i = 0; i < in; i++) a += fu.floats().get(i) * x.floats().get(i);
        for (int i = 0; i < cols; i++) b += u.floats().get(i) * ux.floats().get(i);
        assertEquals(a, b, 1e-3);
    }

    @Test
    void idxReaderReportsTruncation() {
        byte[] bytes = {0, 0, 8, 1, 0, 0, 0, 5, 1, 2};
        IOException e = assertThrows(IOException.class, () -> Idx.read(writeTemp(bytes)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @TempDir
    Path dir;

    private Path writeTemp(byte[] bytes) throws IOException {
        Path p = dir.resolve("x.idx");
        Files.write(p, bytes);
        return p;
    }

    @Test
    void csvAndStandardisation() throws IOException {
        String csv = "150,4,a,b,c\n1,2,0\n3,6,1\n";
        Dataset d = Csv.readClassification(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t", 2,
                Csv.Header.PRESENT);
        assertEquals(2, d.size());
        assertEquals(1, d.label(1));
        Dataset s = Standardizer.fit(d).apply(d);
        assertArrayEquals(new float[] {-1, -1, 1, 1}, s.features(), 1e-6f);
    }

    @Test
    void schedules() {
        assertEquals(0.01, LearningRateSchedule.stepDecay(2, 0.1).rate(2, 0.1), 1e-12);
        assertEquals(0.055, LearningRateSchedule.linearDecay(10, 0.01).rate(5, 0.1), 1e-12);
        assertEquals(0.01, LearningRateSchedule.linearDecay(10, 0.01).rate(50, 0.1), 1e-12);
        assertEquals(0.5, LearningRateSchedule.inverseTime(1, 2).rate(0, 0.1), 1e-12);
        LearningRateSchedule plateau = LearningRateSchedule.reduceOnPlateau(0.5, 1);
        plateau.observe(1.0);
        plateau.observe(1.0);
        assertEquals(0.05, plateau.rate(3, 0.1), 1e-12);
    }
}
