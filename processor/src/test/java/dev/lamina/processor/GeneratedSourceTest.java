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
        // each pass runs on the workers, each worker on its slice of the batch
        // between beginForward and endPass: the state checks the batch and holds the model for the pass
        assertThat(code).contains("public void forward(int n) {\n        state.beginForward(n);\n        try {\n"
                + "            batch = n;\n            state.run(n, forwardPass);\n        } finally {\n"
                + "            state.endPass();\n        }\n    }");
        assertThat(code).contains("private final Workers.RowTask forwardPass = this::forwardRows;");
        assertThat(code).contains("private void forwardRows(Worker worker, int n, int first, int rows) {");
        // each layer's part of a pass is a method of its own, handed the pass's locals that it uses
        assertThat(code).contains("        hiddenForward(worker, n, first, rows, arena, a, params, p);\n"
                + "        scoresForward(worker, n, first, rows, arena, a, params, p);\n");
        assertThat(code).contains("private void hiddenForward(Worker worker, int n, int first, int rows, Memory arena,");
        // the slice's rows folded into one GEMM per layer, then one fused bias + ReLU pass
        assertThat(code).contains("int in = INPUT * n + first * 784;");
        assertThat(code).contains("int out = HIDDEN_OUT * n + first * 256;");
        assertThat(code).contains("Blas.forward(rows, 256, 784, arena, in, params, HIDDEN_WEIGHT, arena, out);");
        // (a block of rows at a time in the worker's heap arrays)
        assertThat(code).contains("p.get(HIDDEN_BIAS, shift, r * 256, 256);");
        assertThat(code).contains("a.get(out + r * 256, v, 0, length);");
        assertThat(code).contains("biasRelu(v, shift, length);");
        assertThat(code).contains("float u = v[i] + shift[i];");
        assertThat(code).contains("v[i] = Math.max(u, 0f);");
        assertThat(code).contains("a.put(out + r * 256, v, 0, length);");
        // gradient regions are shared by layers of different widths: slices spaced by the widest
        assertThat(code).contains("private static final int DELTA_STRIDE = 784;");
        assertThat(code).contains("int delta = DELTA_A * n + first * DELTA_STRIDE;");
        // the first layer computes the gradient with respect to the network input only in the pass that asks
        String training = code.substring(code.indexOf("private void hiddenBackward("),
                code.indexOf("private void hiddenBackwardToInput("));
        assertThat(training).doesNotContain("inputGradient(rows, 256, 784");
        assertThat(code.substring(code.indexOf("private void hiddenBackwardToInput(")))
                .contains("inputGradient(rows, 256, 784");
        assertThat(code).contains("state.run(n, state.computesInputGradient() ? backwardToInputPass : backwardPass);");
        assertThat(code).contains("Blas.inputGradient(rows, 10, 256, arena, delta, params, SCORES_WEIGHT, arena, "
                + "deltaIn);");
        // each worker accumulates its own weight gradients; they are summed at the end
        assertThat(code).contains("Memory grads = state.clearGradients(worker);");
        assertThat(code).contains("state.sumGradients(worker);");
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
        // checkpoints hold PyTorch's layouts: convolutions OIHW, f5's columns (c, h, w) of the flattened 16 x 5 x 5
        assertThat(code).contains("state.fileLayout(\"c3.weight\", \"c3.weight\", new int[] {16, 5, 5, 6}, "
                + "new int[] {0, 3, 1, 2}, new int[] {16, 6, 5, 5});");
        assertThat(code).contains("state.fileLayout(\"f5.weight\", \"f5.weight\", new int[] {120, 5, 5, 16}, "
                + "new int[] {0, 3, 1, 2}, new int[] {120, 400});");
        assertThat(code).doesNotContain("state.fileLayout(\"f6.weight\"");
        // each max pool is fused into the convolution before it: it pools the raw sums, then bias and ReLU run
        // on the pooled values only
        assertThat(code).contains("* c1: Conv [1, 28, 28] -> [6, 28, 28], RELU, then s2: MAX pool 2/2 -> [6, 14, 14]: "
                + "its forward pass over one worker's rows.");
        // c1 reads one channel: its sums are kept in rows as wide as the padded input (32 positions)
        assertThat(code).contains("private static final ConvGeometry C1_GEOMETRY = "
                + "new ConvGeometry(28, 28, 1, 5, 1, 2, 1, 28, 28, 6, true);");
        assertThat(code).contains("int sums = C1_SUMS * n + first * 5376;");
        assertThat(code).contains("Convolution.forward(C1_GEOMETRY, arena, in, rows, params, C1_WEIGHT, arena, sums, "
                + "worker);");
        assertThat(code).contains("private static final PoolGeometry S2_GEOMETRY = "
                + "new PoolGeometry(28, 28, 6, 2, 2, 0, 14, 14, 192);");
        assertThat(code).contains("private static final PoolGeometry S4_GEOMETRY = "
                + "new PoolGeometry(10, 10, 16, 2, 2, 0, 5, 5);");
        assertThat(code).contains("MaxPool2x2.forward(S2_GEOMETRY, a, sums, rows, a, out);");
        assertThat(code).contains("MaxPool2x2.forward(S4_GEOMETRY, a, sums, rows, a, out);");
        // 2x2 pools find their winners again in the backward pass: no index arena
        assertThat(code).contains("private static final int INDICES_PER_SAMPLE = 0;");
        assertThat(code).contains("for (int r = 0, total = rows * 196; r < total; r += blockRows) {");
        assertThat(code).contains("private static final int DELTA_STRIDE = 1176;");
        // ReLU's derivative at the pooled outputs, a block at a time; then the winners get the gradient
        assertThat(code).contains("reluGradient(gs, ys, length);");
        // the element-wise loops are small methods of their own, where C2 vectorises them
        assertThat(code).contains("private static void reluGradient(float[] g, float[] y, int length) {\n"
                + "        for (int i = 0; i < length; i++) {\n"
                + "            g[i] = g[i] * Math.min(y[i] * 0x1p100f * 0x1p100f, 1f);");
        assertThat(code).contains("for (int i = 0, count = rows * 1176; i < count; i += Worker.BLOCK) {");
        assertThat(code).contains("MaxPool2x2.backward(S2_GEOMETRY, a, sums, a, delta, rows, a, sums);");
        // the handles keep the user's view: the convolution's own shape, and the pool's
        assertThat(code).contains("this.c1 = state.layer(\"c1\", \"Conv\", new int[] {6, 28, 28});");
        assertThat(code).contains("this.s2 = state.layer(\"s2\", \"Pool\", new int[] {6, 14, 14});");
        assertThat(code).contains("// f5_flatten: Flatten [16, 5, 5] -> [400]");
        // c3 passes its input gradient on; c1, the first layer, does not
        assertThat(code).contains("Convolution.backward(C3_GEOMETRY, arena, in, rows, arena, sums, params, "
                + "C3_WEIGHT, grads, C3_WEIGHT, arena, deltaIn, worker);");
        assertThat(code).contains("Convolution.backward(C1_GEOMETRY, arena, in, rows, arena, sums, params, "
                + "C1_WEIGHT, grads, C1_WEIGHT, null, 0, worker);");
        // no im2col columns in the arena: convolutions unfold into worker scratch
        assertThat(code).doesNotContain("COLUMNS");
        assertThat(code).contains("float logSum = max + (float) Math.log(sum);");
    }

    @Test
    void residualStage() throws IOException {
        JavaFileObject src = JavaFileObjects.forSourceString("demo.Res", String.join("\n",
                "package demo;",
                "import dev.lamina.dsl.*;",
                "import dev.lamina.runtime.Layer;",
                "@Network(input = {8, 6, 6})",
                "public abstract class Res {",
                "  @Conv(filters = 8, kernel = 1) Layer stem;",
                "  @Residual(filters = 16, stride = 2) Layer down;",
                "  @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer gap;",
                "  @Dense(units = 3) Layer out;",
                "}"));
        String code = generated(javac().withProcessors(new LaminaProcessor()).compile(src), "demo.ResNet");
        // the stage as torchvision names it, with a projection shortcut
        assertThat(code).contains("private static final int DOWN_CONV1_WEIGHT = 72;");
        assertThat(code).contains("* down.shortcut.conv: Conv [8, 6, 6] -> [16, 3, 3]: its forward pass");
        assertThat(code).contains("* down.add: Add [16, 3, 3] -> [16, 3, 3], RELU: its backward pass");
        // the add applies both batch norms (main path and shortcut) as it reads their inputs: their outputs are
        // never written
        assertThat(code).contains("// down.bn2: BatchNorm [16, 3, 3] -> [16, 3, 3]: down.add applies its transform as "
                + "it reads down.conv2's output");
        assertThat(code).contains("scaleShiftAddScaleShiftRelu(v, scale, shift, s, scaleS, shiftS, length);");
        assertThat(code).contains("float u = scale[i] * v[i] + shift[i] + (scaleS[i] * s[i] + shiftS[i]);");
        assertThat(code).contains("int in = DOWN_CONV2_OUT * n + first * 144;");
        assertThat(code).contains("int shortcut = DOWN_SHORTCUT_CONV_OUT * n + first * 144;");
        assertThat(code).doesNotContain("private void downBn2Forward(");
        // the add hands its gradient to both paths in its derivative's pass; the stage's input gets the second one
        // added in
        assertThat(code).contains("private static final int DELTA_C = ");
        assertThat(code).contains("a.put(copy + i, gs, 0, length);");
        assertThat(code).doesNotContain("Reductions.copy(");
        // the block's first convolution adds its input gradient to the shortcut's itself
        assertThat(code).containsMatch("Convolution.backward\\(DOWN_CONV1_GEOMETRY, .*, arena, DELTA_[A-Z] \\* n \\+ first "
                + "\\* DELTA_STRIDE, true, worker\\);");
        assertThat(code).doesNotContain("Reductions.accumulate(");
        assertThat(code).contains("this.down = state.layer(\"down\", \"Residual\", new int[] {16, 3, 3});");
        // the block's convolutions start from He's Gaussian unless the stage names another initialiser
        assertThat(code).contains("state.parameter(\"down.conv1.weight\", Tensor.Kind.WEIGHT, new int[] {16, 3, 3, 8}, "
                + "DOWN_CONV1_WEIGHT, 0.16666667f);");
    }

    @Test
    void uniformFanInReachesEveryWeightAndBias() throws IOException {
        JavaFileObject src = JavaFileObjects.forSourceString("demo.Twin", String.join("\n",
                "package demo;",
                "import dev.lamina.dsl.*;",
                "import dev.lamina.runtime.Layer;",
                "@Network(input = {8, 6, 6})",
                "public abstract class Twin {",
                "  @Conv(filters = 8, kernel = 1, init = Init.UNIFORM_FAN_IN) Layer stem;",
                "  @Residual(filters = 16, stride = 2, init = Init.UNIFORM_FAN_IN) Layer down;",
                "  @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer gap;",
                "  @Dense(units = 3, init = Init.UNIFORM_FAN_IN) Layer out;",
                "}"));
        String code = generated(javac().withProcessors(new LaminaProcessor()).compile(src), "demo.TwinNet");
        // bound 1/sqrt(fan_in), for the bias too, as PyTorch's Linear and Conv2d draw them
        assertThat(code).contains("state.uniformParameter(\"stem.weight\", Tensor.Kind.WEIGHT, new int[] {8, 1, 1, 8}, "
                + "STEM_WEIGHT, 0.35355338f);");
        assertThat(code).contains("state.uniformParameter(\"stem.bias\", Tensor.Kind.BIAS, new int[] {8}, STEM_BIAS, "
                + "0.35355338f);");
        assertThat(code).contains("state.uniformParameter(\"down.conv1.weight\", Tensor.Kind.WEIGHT, "
                + "new int[] {16, 3, 3, 8}, DOWN_CONV1_WEIGHT, 0.11785113f);");
        assertThat(code).contains("state.uniformParameter(\"down.shortcut.conv.weight\", Tensor.Kind.WEIGHT, "
                + "new int[] {16, 1, 1, 8}, DOWN_SHORTCUT_CONV_WEIGHT, 0.35355338f);");
        assertThat(code).contains("state.uniformParameter(\"out.bias\", Tensor.Kind.BIAS, new int[] {3}, OUT_BIAS, "
                + "0.25f);");
        // batch norm keeps gamma = 1, beta = 0
        assertThat(code).contains("state.parameter(\"down.bn1.weight\", Tensor.Kind.SCALE, new int[] {16}, "
                + "DOWN_BN1_WEIGHT, 0.0f);");
    }

    @Test
    void recurrent() throws IOException {
        JavaFileObject src = JavaFileObjects.forSourceString("demo.Rows", String.join("\n",
                "package demo;",
                "import dev.lamina.dsl.*;",
                "import dev.lamina.runtime.Layer;",
                "@Network(input = {28}, steps = 28)",
                "public abstract class Rows {",
                "  @LSTM(units = 128) Layer lstm;",
                "  @Dense(units = 10) Layer out;",
                "}"));
        String code = generated(javac().withProcessors(new LaminaProcessor()).compile(src), "demo.RowsNet");
        assertThat(code).contains("private static final RecurrentGeometry LSTM_GEOMETRY = "
                + "new RecurrentGeometry(28, 28, 128, 4);");
        assertThat(code).contains("int gates = LSTM_GATES * n + first * 14336;");
        assertThat(code).contains("Lstm.forward(LSTM_GEOMETRY, arena, in, rows, params, LSTM_WEIGHT_IH, gates, cells, "
                + "hidden, out, -1);");
        assertThat(code).contains("Lstm.backward(LSTM_GEOMETRY, arena, in, rows, params, LSTM_WEIGHT_IH, gates, cells, "
                + "hidden, -1, delta, false, grads, -1, worker);");
        assertThat(code).contains("private static final int PARAMETERS = 82186;");
    }
}
