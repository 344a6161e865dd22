package dev.lamina.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics whose code moved into the op kinds (reading, sizes, values, fits, arrays) or into the reader's
 * small classes, pinned with their lines and their order, as main reported them before the move. Complements
 * DiagnosticsTest and UserMistakesTest, which check the others.
 */
class ReadingAndChecksTest {
    private static final String HEADER = String.join("\n",
            "package test;",                                               // 1
            "import dev.lamina.dsl.*;",                                    // 2
            "import dev.lamina.runtime.Layer;",                            // 3
            "");

    /** Every error of compiling {@code body} (from line 4), as "line: message", in the order javac got them. */
    private static List<String> errors(String... body) {
        JavaFileObject src = JavaFileObjects.forSourceString("test.Net", HEADER + String.join("\n", body));
        Compilation c = javac().withProcessors(new LaminaProcessor()).compile(src);
        return c.errors().stream().map(ReadingAndChecksTest::line).toList();
    }

    private static String line(Diagnostic<? extends JavaFileObject> d) {
        return d.getLineNumber() + ": " + d.getMessage(Locale.ROOT);
    }

    @Test
    void twoLayerAnnotationsOnAField() {
        assertThat(errors(
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @LayerNorm @Dropout(rate = 0.5) Layer x;",              // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}")).containsExactly(
                "6: field 'x' has 2 layer annotations [@Dropout, @LayerNorm]; declare one layer per field");
    }

    @Test
    void blockHoldsOnlyImageLayers() {
        assertThat(errors(
                "@Network(input = {2, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Block static class B {",                               // 6
                "    @Dense(units = 2) Layer d;",                          // 7
                "  }",                                                     // 8
                "  @Residual(filters = 2, custom = B.class) Layer stage;", // 9
                "  @Dense(units = 2) Layer out;",                          // 10
                "}")).containsExactly("9: 'stage' (Residual) uses block B, whose layer 'd' is a @Dense; a block holds "
                + "[@Conv, @BatchNorm, @LayerNorm, @LocalResponseNorm, @Dropout]");
    }

    @Test
    void blockClassMustBeABlock() {
        assertThat(errors(
                "@Network(input = {2, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  static class B {",                                      // 6
                "  }",                                                     // 7
                "  @Block static class E {",                               // 8
                "  }",                                                     // 9
                "  @Residual(filters = 2, custom = B.class) Layer s1;",    // 10
                "  @Residual(filters = 2, custom = E.class) Layer s2;",    // 11
                "  @Dense(units = 2) Layer out;",                          // 12
                "}")).containsExactly(
                "10: 's1' (Residual) uses B as its block, but B is not annotated @Block",
                "11: 's2' (Residual) uses block E, which has no layer fields");
    }

    @Test
    void malformedInputs() {
        assertThat(errors(
                "@Network(tokens = 10, input = {4})",                      // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 2) Layer out;",                          // 6
                "}")).containsExactly("4: a token input (tokens = 10) is a sequence of ids, one per step: give steps "
                + "and leave input out, found steps = 0 and input [4]");
        assertThat(errors(
                "@Network(input = {1, 2})",                                // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 2) Layer out;",                          // 6
                "}")).containsExactly("4: @Network input must be {features} or {channels, height, width} with every "
                + "size positive, found [1, 2]");
    }

    @Test
    void concatenationParts() {
        assertThat(errors(
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Concat(of = {}, withPrevious = true) Layer first;",    // 6
                "  @Dense(units = 3) Layer a;",                            // 7
                "  @Concat(of = {\"a\"}) Layer one;",                      // 8
                "  @Dense(units = 2) Layer out;",                          // 9
                "}")).containsExactly(
                "6: 'first' (Concat) joins the previous layer, but it is the first layer",
                "8: 'one' (Concat) needs at least two parts to join, found [a]");
    }

    @Test
    void sizesWithRulesOfTheirOwn() {
        assertThat(errors(
                "@Network(input = {8, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 6, kernel = 1, padding = 0, groups = 4) Layer c;", // 6
                "  @Pool(kind = PoolKind.AVERAGE, kernel = 2, padding = 1) Layer avg;", // 7
                "  @Pool(kernel = 2, padding = 3) Layer max;",             // 8
                "  @ConvTranspose(filters = 2, kernel = 2, stride = 2, outputPadding = 2) Layer t;", // 9
                "  @Conv1d(filters = 2, kernel = 5000, padding = 5000, dilation = 5000) Layer c1;", // 10
                "  @Residual(filters = 2, repeat = 2000) Layer r;",        // 11
                "  @Dense(units = 2) Layer out;",                          // 12
                "}")).containsExactly(
                "6: filters of 'c' (Conv) (6) must divide into its 4 groups",
                "7: padding of 'avg' (Pool) (AVERAGE pool) must be 0: only max pooling pads, found 1",
                "8: padding of 'max' (Pool) must be between 0 and half the kernel (1), found 3",
                "9: outputPadding of 't' (ConvTranspose) must be between 0 and stride - 1 (1), found 2",
                "10: kernel of 'c1' (Conv1d) must be at most 4096, found 5000",
                "10: padding of 'c1' (Conv1d) must be at most 4096, found 5000",
                "10: dilation of 'c1' (Conv1d) must be at most 4096, found 5000",
                "11: repeat of 'r' (Residual) must be at most 1024, found 2000").inOrder();
        // main reported the groups message between the groups and the filters; a kind's own size rules now come
        // after its sizes, so only the order of the errors on this one line differs
        assertThat(errors(
                "@Network(input = {8, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 6, kernel = 0, padding = -1, groups = 4) Layer c;", // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}")).containsExactly(
                "6: filters of 'c' (Conv) (6) must divide into its 4 groups",
                "6: kernel of 'c' (Conv) must be positive, found 0",
                "6: padding of 'c' (Conv) must be >= 0, found -1");
    }

    @Test
    void valuesWithRangesOfTheirOwn() {
        assertThat(errors(
                "@Network(input = {4, 4, 4})",                             // 4
                "abstract class Net {",                                    // 5
                "  @BatchNorm(momentum = 1.5, epsilon = 2) Layer bn;",     // 6
                "  @LocalResponseNorm(size = 3, beta = 11, k = 0) Layer n;", // 7
                "  @Dense(units = 2, activation = Activation.LEAKY_RELU, alpha = 200) Layer out;", // 8
                "}")).containsExactly(
                "6: epsilon of 'bn' (BatchNorm) must be positive (at least 1.1755e-38, the smallest normal float)"
                        + " and at most 1, found 2.0",
                "6: momentum of 'bn' (BatchNorm) must be in [0, 1], found 1.5",
                "7: k of 'n' (LocalResponseNorm) must be in (0, 1e6], found 0.0",
                "7: beta of 'n' (LocalResponseNorm) must be in [0, 10], found 11.0",
                "8: alpha of 'out' (Dense)'s LEAKY_RELU must be between -100 and 100, found 200.0",
                // independent of the value refused above (issue 21: every check reports), judged without shapes
                "8: output layer 'out' has activation LEAKY_RELU, but SOFTMAX_CROSS_ENTROPY applies softmax to the "
                        + "raw scores itself; use activation IDENTITY").inOrder();
    }

    @Test
    void sequenceConvolutionsNeedSteps() {
        assertThat(errors(
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Conv1d(filters = 2, kernel = 3) Layer c;",             // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}")).containsExactly("6: 'c' (Conv1d) convolves along steps and needs a sequence input [steps, "
                + "features], but its input is the vector [4]");
        assertThat(errors(
                "@Network(steps = 4, input = {3})",                        // 4
                "abstract class Net {",                                    // 5
                "  @Conv1d(filters = 2, kernel = 3, dilation = 2) Layer c;", // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}")).containsExactly("6: kernel 3 (dilated to 5) of 'c' (Conv1d) is longer than its padded input of 4"
                + " steps (input [4 steps, 3], padding 0)");
    }

    @Test
    void poolLargerThanItsInput() {
        assertThat(errors(
                "@Network(input = {1, 4, 4})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Pool(kernel = 5) Layer p;",                            // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}")).containsExactly("6: kernel 5x5 of 'p' (Pool) is larger than its input 4x4 (input [1, 4, 4])");
    }

    @Test
    void arraysTooLargeForTheRuntime() {
        assertThat(errors(
                "@Network(input = {1, 4096, 4096})",                       // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 1, kernel = 11) Layer c;",              // 6
                "  @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer g;",        // 7
                "  @Dense(units = 2) Layer out;",                          // 8
                "}")).containsExactly("6: 'c' (Conv) unfolds its input into 4086 x 4086 x 11 x 11 x 1 = 2020142916 "
                + "columns per sample (output height x width x kernel x kernel x channels), more than the 536870911 "
                + "floats a buffer holds");
        assertThat(errors(
                "@Network(input = {64})",                                  // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 16777216) Layer wide;",                  // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}")).contains("6: 'wide' (Dense) needs 16777216 x 64 = 1073741824 weights, more than the 536870911 "
                + "floats a buffer holds");
        assertThat(errors(
                "@Network(input = {1, 1048576, 1})",                       // 4
                "abstract class Net {",                                    // 5
                "  @Upsample(scale = 4096) Layer u;",                      // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}")).contains("6: 'u' (Upsample) would output 4294967296 x 4096 from its input [1, 1048576, 1], more "
                + "than an int counts");
    }

    @Test
    void recurrentGatesForEveryStep() {
        assertThat(errors(
                "@Network(steps = 65536, input = {1})",                    // 4
                "abstract class Net {",                                    // 5
                "  @LSTM(units = 4096) Layer l;",                          // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}")).contains("6: 'l' (LSTM) keeps its gates and their gradients for every step: 65536 steps x 4 gates"
                + " x 4096 units x 2 x 8 rows = 17179869184 floats, more than the 536870911 a buffer holds");
    }
}
