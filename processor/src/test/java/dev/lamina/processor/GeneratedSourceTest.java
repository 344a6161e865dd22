package dev.lamina.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The generated source for an MLP and a LeNet compiles and has the intended shape. */
class GeneratedSourceTest {

    private static String generated(Compilation c, String name) throws IOException {
        assertThat(c).succeededWithoutWarnings();
        return c.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
    }

    @Test
    void mlp() throws IOException {
        JavaFileObject src = JavaFileObjects.forSourceString("demo.Mlp", String.join("\n",
                "package demo;",
                "import dev.lamina.dsl.*;",
                "import dev.lamina.runtime.Layer;",
                "@Network(input = {784})",
                "public abstract class Mlp {",
                "  @Dense(units = 256, activation = Activation.RELU) Layer hidden;",
                "  @Dense(units = 10) Layer scores;",
                "}"));
        String code = generated(javac().withProcessors(new LaminaProcessor()).compile(src), "demo.MlpNet");
        assertThat(code).contains("public final class MlpNet extends Mlp implements Model");
        assertThat(code).contains("private static final int HIDDEN_WEIGHT = 0;");
        assertThat(code).contains("private static final int HIDDEN_BIAS = 200704;");
        assertThat(code).contains("private static final int PARAMETERS = 203530;");
        // the batch folded into one GEMM per layer, then one fused bias + ReLU pass
        assertThat(code).contains("Blas.forward(n, 256, 784, arena, INPUT * n, params, HIDDEN_WEIGHT, arena, "
                + "HIDDEN_OUT * n);");
        assertThat(code).contains("float u = a.get(o + at + j) + p.get(HIDDEN_BIAS + j);");
        assertThat(code).contains("a.put(o + at + j, Math.max(u, 0f));");
        // the first layer computes no gradient with respect to the network input
        assertThat(code).doesNotContain("inputGradient(n, 256, 784");
        assertThat(code).contains("Blas.inputGradient(n, 10, 256, arena, DELTA_A * n, params, SCORES_WEIGHT, arena,"
                + " DELTA_B * n);");
        assertThat(code).contains("this.hidden = state.layer(\"hidden\", \"Dense\", new int[] {256});");
    }

    @Test
    void lenet() throws IOException {
        JavaFileObject src = JavaFileObjects.forSourceString("demo.LeNet", String.join("\n",
                "package demo;",
                "import static dev.lamina.dsl.Activation.RELU;",
                "import dev.lamina.dsl.*;",
                "import dev.lamina.runtime.Layer;",
                "@Network(input = {1, 28, 28})",
                "public abstract class LeNet {",
                "  @Conv(filters = 6, kernel = 5, padding = 2, activation = RELU) Layer c1;",
                "  @Pool(kernel = 2) Layer s2;",
                "  @Conv(filters = 16, kernel = 5, activation = RELU) Layer c3;",
                "  @Pool(kernel = 2) Layer s4;",
                "  @Dense(units = 120, activation = RELU) Layer f5;",
                "  @Dense(units = 84, activation = RELU) Layer f6;",
                "  @Dense(units = 10) Layer out;",
                "}"));
        String code = generated(javac().withProcessors(new LaminaProcessor()).compile(src), "demo.LeNetNet");
        assertThat(code).contains("private static final int PARAMETERS = 61706;");
        assertThat(code).contains("// c1: Conv [1, 28, 28] -> [6, 28, 28], RELU");
        assertThat(code).contains("Im2col.unfold(a, INPUT * n, n, 28, 28, 1, 5, 1, 2, 1, 28, 28, a, C1_COLUMNS * n);");
        assertThat(code).contains("Blas.forward(n * 784, 6, 25, arena, C1_COLUMNS * n, params, C1_WEIGHT, arena, "
                + "C1_OUT * n);");
        assertThat(code).contains("Pooling.maxForward(a, C1_OUT * n, n, 28, 28, 6, 2, 2, 14, 14, a, S2_OUT * n, "
                + "indices, S2_ARGMAX * n);");
        assertThat(code).contains("// f5_flatten: Flatten [16, 5, 5] -> [400]");
        assertThat(code).contains("Im2col.fold(a, SCRATCH * n, n, 14, 14, 6, 5, 1, 0, 1, 10, 10, a,");
        assertThat(code).contains("float logSum = max + (float) Math.log(sum);");
    }
}
