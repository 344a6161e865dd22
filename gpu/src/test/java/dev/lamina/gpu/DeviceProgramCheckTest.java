package dev.lamina.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The program format and the checks a program gets without a GPU: each kind of mistake is caught and named. */
class DeviceProgramCheckTest {
    private static final String CUDA = String.join("\n",
            "extern \"C\" __global__ void scale(const float* __restrict__ x, float* y, int rows, float k) {}",
            "extern \"C\" __global__ void lamina_gemm_nt(int m, int n, int k, float alpha, const float* A, int lda,",
            "        const float* B, int ldb, float beta, float* C, int ldc) {}",
            "extern \"C\" __global__ void winners(const int* argmax, long outputs, double* sums,",
            "        unsigned long long key) {}");

    /** A GEMM step of layer {@code hidden}, up to its grid's size. */
    private static final String GEMM = "forward always hidden lamina_gemm_nt gemm:";

    private static DeviceProgram program(String... steps) {
        StringBuilder text = new StringBuilder("# a test\nlamina-device-program 2\nclass demo.TestNet\narena 30\n"
                + "indices 4\nparameters 12\nbuffers 0\nwork 0\ndoubles 2\ninput 0 4\noutput 26 2\nlosses n\n");
        for (String step : steps) {
            text.append("step ").append(step).append('\n');
        }
        return DeviceProgram.parse(text.toString());
    }

    @Test
    void readsSignaturesAndPrograms() {
        Map<String, List<String>> kernels = KernelSignatures.of(CUDA);
        assertEquals(List.of("f*", "f*", "i", "f"), kernels.get("scale"));
        assertEquals(List.of("i*", "l", "d*", "l"), kernels.get("winners"));
        DeviceProgram p = program("forward always hidden scale e:4n x=A:0 y=A:4n rows=i:n k=f:0.5");
        assertEquals("demo.TestNet", p.network());
        assertEquals(new Linear(4, 0), Linear.parse("4n"));
        assertEquals(785, Linear.parse("784n+1").at(1));
        assertEquals(List.of(2L, 1L), List.of(p.steps().get(0).blocks(100)[0], p.steps().get(0).blocks(100)[1]));
        assertTrue(DeviceProgramCheck.problems(p, CUDA, 1, 128).isEmpty());
        // a GEMM's grid: C's rows (400 at n = 100: 7 tiles) on x, its 130 columns (3 tiles) on y
        DeviceProgram gemm = program("forward always hidden lamina_gemm_nt gemm:4n,130 " + gemm("4n", "130", "3", "A:0",
                "3", "P:0", "3", "A:4n", "130"));
        assertEquals(List.of(7L, 3L), List.of(gemm.steps().get(0).blocks(100)[0], gemm.steps().get(0).blocks(100)[1]));
    }

    @Test
    void namesEachKindOfMistake() {
        assertProblem("no kernel missing", "forward always hidden missing e:n x=A:0");
        assertProblem("takes 4 arguments, given 3", "forward always hidden scale e:n x=A:0 y=A:4n rows=i:n");
        assertProblem("argument 3 is f, the kernel takes i",
                "forward always hidden scale e:n x=A:0 y=A:4n rows=f:1 k=f:0.5");
        assertProblem("A:31n (+0) is outside its area of 30 at n = 1",
                "forward always hidden scale e:n x=A:0 y=A:31n rows=i:n k=f:1");
        assertProblem("the grid covers n x 4, the GEMM writes i:n x i:5",
                GEMM + "n,4 " + gemm("n", "5", "3", "A:0", "3", "P:0", "3", "A:4n", "5"));
        assertProblem("G:0 (+13) is outside its area of 12", "backward always - zero - at=G:0 count=l:13");
        // C, n rows of 2 from arena float 29 n, overruns an arena of 30 floats a row
        assertProblem("A:29n (+2) is outside its area of 30 at n = 1",
                GEMM + "n,2 " + gemm("n", "2", "3", "A:0", "3", "P:0", "3", "A:29n", "2"));
        // B, 4 x 3 weights from parameter 0, overruns 12 parameters when read with a leading dimension of 4
        assertProblem("P:0 (+15) is outside its area of 12",
                GEMM + "n,4 " + gemm("n", "4", "3", "A:0", "3", "P:0", "4", "A:4n", "4"));
        assertProblem("B's leading dimension 2 is less than its rows' 3",
                GEMM + "n,4 " + gemm("n", "4", "3", "A:0", "3", "P:0", "2", "A:4n", "4"));
        assertProblem("zero takes 1 address(es) and a count l:", "backward always - zero - at=G:0 count=i:12");
        DeviceProgram winners = program("forward always pool winners e:n argmax=I:0 outputs=l:n sums=D:0 key=l:0");
        assertTrue(DeviceProgramCheck.problems(winners, CUDA, 1).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> DeviceProgram.parse("class demo.X\n"));
    }

    @Test
    void namesTheLayerAndEachArgument() {
        String line = "forward train conv1 scale e:4n x=A:0 y=A:4n rows=i:n k=f:0.5";
        DeviceProgram.Step step = program(line).steps().get(0);
        assertEquals("conv1", step.layer());
        assertEquals(List.of("x", "y", "rows", "k"), step.names());
        assertEquals(List.of("A:0", "A:4n", "i:n", "f:0.5"), step.args());
        assertEquals(line, step.toString());
        // a comment that says extern "C" is no kernel, and hides none after it
        String commented = "// a kernel is extern \"C\" so the host finds it (by name)\n" + CUDA;
        assertEquals(Map.of("scale", List.of("x", "y", "rows", "k"),
                "lamina_gemm_nt", List.of("m", "n", "k", "alpha", "A", "lda", "B", "ldb", "beta", "C", "ldc"),
                "winners", List.of("argmax", "outputs", "sums", "key")), DeviceProgramCheck.parameterNames(commented));
        assertProblem("argument 2 is named out, the kernel's parameter is y",
                "forward always hidden scale e:n x=A:0 out=A:4n rows=i:n k=f:0.5");
        assertProblem("copy's arguments are named [to, from, count]",
                "backward always - copy - from=A:0 to=A:4n count=l:n");
        // an argument without its name, or a program of the format before names
        assertThrows(IllegalArgumentException.class, () -> program("forward always hidden scale e:n A:0"));
        assertThrows(IllegalArgumentException.class, () -> DeviceProgram.parse("lamina-device-program 1\n"));
    }

    /** A GEMM's arguments, named as {@code lamina_gemm_nt} names them. */
    private static String gemm(String m, String n, String k, String a, String lda, String b, String ldb, String c,
                               String ldc) {
        return "m=i:" + m + " n=i:" + n + " k=i:" + k + " alpha=f:1.0 A=" + a + " lda=i:" + lda + " B=" + b
                + " ldb=i:" + ldb + " beta=f:0.0 C=" + c + " ldc=i:" + ldc;
    }

    private static void assertProblem(String expected, String step) {
        List<String> problems = DeviceProgramCheck.problems(program(step), CUDA, 1, 128);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), expected + " not in " + problems);
    }
}
