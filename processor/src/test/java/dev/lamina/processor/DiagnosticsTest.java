package dev.lamina.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Every user mistake is a javac error on the annotation's line, with the shapes spelled out. */
class DiagnosticsTest {
    private static final String HEADER = String.join("\n",
            "package test;",                                               // 1
            "import dev.lamina.dsl.*;",                                    // 2
            "import dev.lamina.runtime.Layer;",                            // 3
            "");

    private static JavaFileObject source(String body) {
        return JavaFileObjects.forSourceString("test.Net", HEADER + body);
    }

    private static Compilation compile(JavaFileObject source) {
        return javac().withProcessors(new LaminaProcessor()).compile(source);
    }

    @Test
    void kernelLargerThanPaddedInput() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Pool(kernel = 2) Layer p;",                            // 6
                "  @Conv(filters = 4, kernel = 5) Layer c;",               // 7
                "  @Dense(units = 2) Layer out;",                          // 8
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("kernel 5x5 of 'c' (Conv) is larger than its padded input 4x4 (input [1, 4, 4],"
                + " padding 0)").inFile(src).onLine(7);
    }

    @Test
    void strideNotPositive() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",
                "abstract class Net {",
                "  @Conv(filters = 4, kernel = 3, stride = 0) Layer c;",   // 6
                "  @Dense(units = 2) Layer out;",
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("stride of 'c' (Conv) must be positive, found 0").inFile(src).onLine(6);
    }

    @Test
    void unitsNotPositive() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",
                "abstract class Net {",
                "  @Dense(units = 0) Layer h;",                            // 6
                "  @Dense(units = 2) Layer out;",
                "}"));
        assertThat(compile(src)).hadErrorContaining("units of 'h' (Dense) must be positive, found 0").inFile(src)
                .onLine(6);
    }

    @Test
    void dropoutAfterTheOutputLayer() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",
                "abstract class Net {",
                "  @Dense(units = 3) Layer out;",
                "  @Dropout(rate = 0.5) Layer drop;",                      // 7
                "}"));
        assertThat(compile(src)).hadErrorContaining("'drop' (Dropout) cannot follow the output layer 'out': the loss"
                + " SOFTMAX_CROSS_ENTROPY is computed on that layer's output [3]").inFile(src).onLine(7);
    }

    @Test
    void activationOnCrossEntropyOutput() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",
                "abstract class Net {",
                "  @Dense(units = 3, activation = Activation.RELU) Layer out;", // 6
                "}"));
        assertThat(compile(src)).hadErrorContaining("output layer 'out' has activation RELU, but SOFTMAX_CROSS_ENTROPY"
                + " applies softmax to the raw scores itself").inFile(src).onLine(6);
    }

    @Test
    void lossDoesNotFitOutputShape() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",
                "abstract class Net {",
                "  @Conv(filters = 4, kernel = 3) Layer c;",               // 6
                "}"));
        assertThat(compile(src)).hadErrorContaining("loss SOFTMAX_CROSS_ENTROPY needs a vector of at least 2 class"
                + " scores, but the output of 'c' (Conv) is [4, 6, 6]").inFile(src).onLine(6);
    }

    @Test
    void convolutionOnAVector() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {64})",
                "abstract class Net {",
                "  @Conv(filters = 4, kernel = 3) Layer c;",               // 6
                "  @Dense(units = 2) Layer out;",
                "}"));
        assertThat(compile(src)).hadErrorContaining("'c' (Conv) needs an image input [channels, height, width], but"
                + " its input is the vector [64]").inFile(src).onLine(6);
    }

    @Test
    void noLayers() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4: class-level errors go on @Network
                "abstract class Net {",
                "}"));
        assertThat(compile(src)).hadErrorContaining("network Net declares no layers").inFile(src).onLine(4);
    }

    @Test
    void fieldTypeIsNotTheLayerHandle() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",
                "abstract class Net {",
                "  @Dense(units = 2) int out;",                            // 6
                "}"));
        assertThat(compile(src)).hadErrorContaining("layer field 'out' must have type dev.lamina.runtime.Layer (the"
                + " handle the generated class fills in), found int").inFile(src).onLine(6);
    }

    @Test
    void classNotAbstract() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",
                "class Net {",                                             // 5
                "  @Dense(units = 2) Layer out;",
                "}"));
        assertThat(compile(src)).hadErrorContaining("network class Net must be abstract").inFile(src).onLine(4);
    }

    @Test
    void classFinal() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",
                "final class Net {",                                       // 5
                "  @Dense(units = 2) Layer out;",
                "}"));
        assertThat(compile(src)).hadErrorContaining("network class Net must not be final").inFile(src).onLine(4);
    }

    @Test
    void networkNestedInANonStaticClass() {
        JavaFileObject src = source(String.join("\n",
                "class Net {",
                "  @Network(input = {4})",                                 // 5
                "  abstract class Inner {",
                "    @Dense(units = 2) Layer out;",
                "  }",
                "}"));
        assertThat(compile(src)).hadErrorContaining("network class Inner is an inner class of Net; make it static")
                .inFile(src).onLine(5);
    }

    @Test
    void residualShapeChangeWithProjectionForbidden() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {8, 10, 10})",                           // 4
                "abstract class Net {",                                    // 5
                "  @Residual(filters = 8) Layer keep;",                    // 6
                "  @Residual(filters = 16, stride = 2, projection = false) Layer down;", // 7
                "  @Dense(units = 2) Layer out;",                          // 8
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("residual block 'down' cannot add its shortcut [8, 10, 10] to its output "
                + "[16, 5, 5]: the shapes differ and projection = false forbids the 1x1 convolution + batch norm that "
                + "would match them").inFile(src).onLine(7);
    }

    @Test
    void recurrentLayerFedANonSequence() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @LSTM(units = 4) Layer rnn;",                           // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'rnn' (LSTM) is recurrent and needs a sequence input [steps, features] "
                + "(declare @Network(steps = ...) or stack it on a recurrent layer with returnSequences = true), but "
                + "its input is the image [1, 8, 8]").inFile(src).onLine(6);
    }

    @Test
    void convolutionFedASequence() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {5}, steps = 7)",                        // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3) Layer c;",               // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'c' (Conv) needs an image input [channels, height, width], but its input "
                + "is the sequence [7 steps, 5]").inFile(src).onLine(6);
    }

    @Test
    void sequenceInputWithImageShape() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8}, steps = 4)",                  // 4
                "abstract class Net {",                                    // 5
                "  @LSTM(units = 4) Layer rnn;",                           // 6
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("a sequence input (steps = 4) takes the features of one step, {features}, "
                + "found input [1, 8, 8]").inFile(src).onLine(4);
    }

    @Test
    void residualFiltersNotPositive() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4, 6, 6})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Residual(filters = 0) Layer r;",                       // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("filters of 'r' (Residual) must be positive, found 0").inFile(src)
                .onLine(6);
    }

    @Test
    void readingAFieldThatDoesNotExist() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3) Layer stem;",            // 6
                "  @Conv(filters = 4, kernel = 1, from = \"stme\") Layer b;", // 7
                "  @Dense(units = 2) Layer out;",                          // 8
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'b' reads 'stme', which is not a layer field of Net").inFile(src).onLine(7);
    }

    @Test
    void concatenatingALaterField() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3) Layer a;",               // 6
                "  @Concat(of = {\"a\", \"b\"}) Layer joined;",        // 7
                "  @Conv(filters = 4, kernel = 3) Layer b;",               // 8
                "  @Dense(units = 2) Layer out;",                          // 9
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'joined' reads 'b', which is declared after it: a layer can only read "
                + "layers declared before it").inFile(src).onLine(7);
    }

    @Test
    void concatenationOfMismatchedSpatialSizes() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3, padding = 1) Layer a;",  // 6
                "  @Conv(filters = 2, kernel = 3) Layer b;",               // 7
                "  @Concat(of = {\"a\"}, withPrevious = true) Layer skip;", // 8
                "  @Dense(units = 2) Layer out;",                          // 9
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'skip' (Concat) joins images along channels, or vectors: their heights and "
                + "widths must match, but 'b' is [2, 6, 6], 'a' is [4, 8, 8]").inFile(src).onLine(8);
    }

    @Test
    void embeddingFedFloats() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {6}, steps = 4)",                        // 4
                "abstract class Net {",                                    // 5
                "  @Embedding(dim = 3) Layer embed;",                      // 6
                "  @LSTM(units = 4) Layer rnn;",                           // 7
                "  @Dense(units = 2) Layer out;",                          // 8
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'embed' (Embedding) looks up token ids, but its input is the floats "
                + "[4 steps, 6] from 'input'; declare @Network(tokens = ..., steps = ...) and make the embedding the "
                + "first layer").inFile(src).onLine(6);
    }

    @Test
    void tokenIdsFedToARecurrentLayer() {
        JavaFileObject src = source(String.join("\n",
                "@Network(tokens = 30, steps = 10)",                       // 4
                "abstract class Net {",                                    // 5
                "  @LSTM(units = 4) Layer rnn;",                           // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'rnn' (LSTM) reads the token ids of the input; put an @Embedding before it "
                + "to turn them into vectors").inFile(src).onLine(6);
    }

    @Test
    void residualBlockClassWithoutBlockAnnotation() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4, 6, 6})",                             // 4
                "abstract class Net {",                                    // 5
                "  static abstract class Twice {",                         // 6
                "    @Conv(filters = Residual.STAGE, kernel = 3, padding = 1) Layer a;", // 7
                "  }",                                                     // 8
                "  @Residual(custom = Twice.class, filters = 4) Layer stage;", // 9
                "  @Dense(units = 2) Layer out;",                          // 10
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'stage' (Residual) uses Twice as its block, but Twice is not annotated "
                + "@Block").inFile(src).onLine(9);
    }

    @Test
    void unpoolingByALayerThatIsNotAMaxPool() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3, padding = 1) Layer c;",  // 6
                "  @Pool(kind = PoolKind.AVERAGE, kernel = 2) Layer p;",   // 7
                "  @Upsample(pool = \"p\") Layer up;",                   // 8
                "  @Dense(units = 2) Layer out;",                          // 9
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'up' (Upsample) unpools by 'p', which is not a max pool declared before it")
                .inFile(src).onLine(8);
    }

    @Test
    void groupsThatDoNotDivideTheInputChannels() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {3, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3, groups = 2) Layer c;",   // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'c' (Conv) splits its input channels into 2 groups, but its input [3, 8, 8] "
                + "has 3 channels").inFile(src).onLine(6);
    }

    // issue 21: a class with layers but no @Network, and "did you mean" for an unknown layer name

    @Test
    void layerFieldsWithoutNetwork() {
        JavaFileObject src = source(String.join("\n",
                "abstract class Net {",                                    // 4
                "  @Dense(units = 4) Layer h;",                            // 5
                "  @Dense(units = 2) Layer out;",                          // 6
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("class Net has layer fields ('h', 'out') but no @Network, so Lamina "
                + "generates nothing for it: it needs @Network(input = ...) to be a network (generating NetNet), or "
                + "@Block to be the block of a @Residual stage").inFile(src).onLine(4);
    }

    @Test
    void annotatedClassWithLayerFieldsButNoNetwork() {
        JavaFileObject src = source(String.join("\n",
                "@Deprecated",                                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3) Layer c;",               // 6
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("class Net has layer fields ('c') but no @Network").inFile(src).onLine(5);
    }

    @Test
    void superclassWithLayerFieldsHasOnlyItsOwnError() {
        JavaFileObject src = source(String.join("\n",
                "abstract class Base {",                                   // 4
                "  @Dense(units = 3) Layer hidden;",                       // 5
                "}",                                                       // 6
                "@Network(input = {4})",                                   // 7
                "abstract class Net extends Base {",                       // 8
                "  @Dense(units = 2) Layer out;",                          // 9
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("layer field 'hidden' of Base, a superclass of network Net, is not part of "
                + "the network").inFile(src).onLine(5);
    }

    @Test
    void misspeltFromSuggestsTheNearestLayer() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3, padding = 1) Layer conv1;", // 6
                "  @Conv(filters = 4, kernel = 3, padding = 1) Layer conv2;", // 7
                "  @Conv(filters = 4, kernel = 1, from = \"cnov2\") Layer b;", // 8
                "  @Dense(units = 2) Layer out;",                          // 9
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("'b' reads 'cnov2', which is not a layer field of Net; did you mean "
                + "'conv2'?").inFile(src).onLine(8);
    }

    @Test
    void misspeltConcatenationPartSuggestsTheNearestLayer() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3, padding = 1) Layer left;", // 6
                "  @Conv(filters = 4, kernel = 3, padding = 1, from = \"left\") Layer right;", // 7
                "  @Concat(of = {\"left\", \"rigth\"}) Layer joined;",     // 8
                "  @Dense(units = 2) Layer out;",                          // 9
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("'joined' reads 'rigth', which is not a layer field of Net; did you mean "
                + "'right'?").inFile(src).onLine(8);
    }

    @Test
    void misspeltUnpoolingPoolSuggestsTheNearestMaxPool() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3, padding = 1) Layer pool2;", // 6: near, but no pool
                "  @Pool(kernel = 2) Layer pool1;",                        // 7
                "  @Upsample(pool = \"pool\") Layer up;",                  // 8
                "  @Dense(units = 2) Layer out;",                          // 9
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("'up' (Upsample) unpools by 'pool', which is not a max pool declared before "
                + "it; did you mean 'pool1'?").inFile(src).onLine(8);
    }

    @Test
    void nameFarFromEveryLayerSuggestsNothing() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3, padding = 1) Layer conv1;", // 6
                "  @Conv(filters = 4, kernel = 1, from = \"stem\") Layer b;", // 7
                "  @Dense(units = 2) Layer out;",                          // 8
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("'b' reads 'stem', which is not a layer field of Net").inFile(src).onLine(7);
        assertWithMessage("the only error").that(c.errors().get(0).getMessage(null)).doesNotContain("did you mean");
    }
}
