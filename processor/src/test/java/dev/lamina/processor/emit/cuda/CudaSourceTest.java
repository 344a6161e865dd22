package dev.lamina.processor.emit.cuda;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.lamina.processor.LaminaProcessor;
import java.io.IOException;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** What the processor writes beside a generated class for the GPU and for the plugin's summary. */
class CudaSourceTest {
    private static final String NET = String.join("\n",
            "package demo;",
            "import static dev.lamina.dsl.Activation.RELU;",
            "import dev.lamina.dsl.*;",
            "import dev.lamina.runtime.Layer;",
            "@Network(input = {1, 8, 8})",
            "public abstract class Small {",
            "  @Conv(filters = 4, kernel = 3, padding = 1, bias = false) Layer conv;",
            "  @BatchNorm(activation = RELU) Layer bn;",
            "  @Residual(filters = 4) Layer block;",
            "  @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer pool;",
            "  @Dense(units = 6, activation = RELU) Layer hidden;",
            "  @Dropout(rate = 0.25) Layer drop;",
            "  @Dense(units = 3) Layer out;",
            "}");

    private static String resource(Compilation c, String name) throws IOException {
        assertThat(c).succeededWithoutWarnings();
        return c.generatedFile(StandardLocation.CLASS_OUTPUT, "demo", name).orElseThrow()
                .getCharContent(true).toString();
    }

    @Test
    void kernelsWithTheShapesBakedIn() throws IOException {
        Compilation c = javac().withProcessors(new LaminaProcessor())
                .compile(JavaFileObjects.forSourceString("demo.Small", NET));
        String cu = resource(c, "SmallNet.cu");
        // the network's own kernels only: the generic ones are compiled once, on their own
        assertThat(cu).contains("#include \"lamina_device.cuh\"");
        assertThat(cu).doesNotContain("void lamina_gemm_nt(");
        assertThat(cu).contains("extern \"C\" __global__ void bn_apply(const float* x, float* y, "
                + "const float* scale, const float* shift, int rows) {");
        assertThat(cu).contains("const long count = (long) rows * 256;");
        assertThat(cu).contains("int ch = (int) (i % 4);");
        assertThat(cu).contains("extern \"C\" __global__ void block_add_forward(const float* x0, "
                + "const float* scale0, const float* shift0, const float* x1, float* y, int rows) {");
        // the dropout folded into hidden's epilogue draws the CPU's mask
        assertThat(cu).contains("float u = out[i] + bias[i % 6];");
        assertThat(cu).contains("float keep = lamina_uniform(key, i) < 0.25f ? 0.0f : 1.3333334f;");
        // and its backward goes through the mask, then ReLU's derivative at the value before the mask
        assertThat(cu).contains("extern \"C\" __global__ void hidden_dropout_backward(float* delta, "
                + "const float* y, const float* mask, int rows) {");
        assertThat(cu).contains("float u = keep == 0.0f ? 0.0f : y[i] / keep;");
        assertThat(cu).contains("delta[i] = (u > 0.0f ? g : 0.0f);");
        // a convolution with nothing after its GEMM gets no epilogue
        assertThat(cu).doesNotContain("conv_epilogue");
        assertThat(cu).contains("d[j] = (expf(logP) - p) * scale;");
        assertThat(cu).doesNotContain("not generated yet");
    }

    @Test
    void theSummaryDescribesEveryLayer() throws IOException {
        Compilation c = javac().withProcessors(new LaminaProcessor())
                .compile(JavaFileObjects.forSourceString("demo.Small", NET));
        String tsv = resource(c, "SmallNet.summary.tsv");
        assertThat(tsv).startsWith("# demo.Small -> demo.SmallNet\tinput [1, 8, 8]\tarena floats per sample ");
        assertThat(tsv).contains("layer\tkind\toutput\tparameters\tflops\tactivations\n");
        // 3x3x1x4 weights; 2 FLOPs per multiply-add at 64 positions
        assertThat(tsv).contains("conv\tConv\t[4, 8, 8]\t36\t4608\t256\n");
        // 4x6 weights and 6 biases: 2x24 + 6 bias + 6 ReLU FLOPs
        assertThat(tsv).contains("hidden\tDense\t[6]\t30\t60\t6\n");
        assertThat(tsv).contains("block.conv1\tConv\t[4, 8, 8]\t144\t");
    }

    @Test
    void recurrentStepsInstantiateTheCellTemplates() throws IOException {
        Compilation c = javac().withProcessors(new LaminaProcessor()).compile(JavaFileObjects.forSourceString(
                "demo.Seq", String.join("\n",
                        "package demo;",
                        "import dev.lamina.dsl.*;",
                        "import dev.lamina.runtime.Layer;",
                        "@Network(input = {5}, steps = 7)",
                        "public abstract class Seq {",
                        "  @LSTM(units = 8, returnSequences = true, peephole = true) Layer lstm;",
                        "  @GRU(units = 6) Layer gru;",
                        "  @Dense(units = 3) Layer out;",
                        "}")));
        String cu = resource(c, "SeqNet.cu");
        assertThat(cu).contains("lamina_lstm_forward<8, 7, true, false>(gates, cells, hidden, c0, peep, rows, t);");
        assertThat(cu).contains("lamina_gru_backward<6, 7>(gates, projections, hidden, dh, dhPrevious, h0, rows, t);");
        assertThat(cu).doesNotContain("not generated yet");
    }
}
