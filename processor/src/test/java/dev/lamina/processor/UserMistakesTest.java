package dev.lamina.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, items 6 to 8: every mistake a user can make in a network class is a javac error on that user's element,
 * never a "Lamina bug", an exception, or an error inside the generated code.
 */
class UserMistakesTest {
    private static final String HEADER = String.join("\n",
            "package test;",                                               // 1
            "import dev.lamina.dsl.*;",                                    // 2
            "import dev.lamina.runtime.Layer;",                            // 3
            "");

    private static JavaFileObject source(String body) {
        return source("test.Net", body);
    }

    private static JavaFileObject source(String name, String body) {
        return JavaFileObjects.forSourceString(name, HEADER + body);
    }

    /** Compiles and checks that every error is on a user's file (not generated code) and none is a Lamina bug. */
    private static Compilation compile(JavaFileObject... sources) {
        Compilation c = javac().withProcessors(new LaminaProcessor()).compile(sources);
        for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
            String message = d.getMessage(null);
            assertWithMessage("error %s", message).that(message).doesNotContain("Lamina bug");
            assertWithMessage("error %s", message).that(d.getSource()).isNotNull();
            assertWithMessage("error %s is in generated code", message)
                    .that(d.getSource().toUri().toString()).doesNotContain("SOURCE_OUTPUT");
        }
        return c;
    }

    // item 6: a user's mistake, not a Lamina bug

    @Test
    void layerThatNothingReads() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 2, kernel = 1) Layer a;",               // 6
                "  @Conv(filters = 2, kernel = 1, from = \"a\") Layer unused;", // 7
                "  @Conv(filters = 2, kernel = 1, from = \"a\") Layer b;", // 8
                "  @Concat(of = {\"a\", \"b\"}) Layer joined;",            // 9
                "  @Dense(units = 2) Layer out;",                          // 10
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("'unused' (Conv) is read by no layer, so it does not reach the output")
                .inFile(src).onLine(7);
    }

    @Test
    void nestedNetworkBesideAClassOfItsGeneratedName() {
        JavaFileObject outer = source("test.Outer", String.join("\n",
                "class Outer {",                                           // 4
                "  @Network(input = {4})",                                 // 5
                "  static abstract class Inner {",                         // 6
                "    @Dense(units = 2) Layer out;",
                "  }",
                "}"));
        JavaFileObject flat = source("test.Outer_Inner", String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Outer_Inner {",                            // 5
                "  @Dense(units = 2) Layer out;",
                "}"));
        Compilation c = compile(outer, flat);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("both generate test.Outer_InnerNet");
    }

    @Test
    void userClassNamedLikeTheGeneratedOne() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 2) Layer out;",
                "}",
                "class NetNet {}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("cannot generate test.NetNet for network Net: a class test.NetNet already "
                + "exists").inFile(src).onLine(4);
    }

    @Test
    void zeroGroupsInsideABlock() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {2, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Block static class B {",                               // 6
                "    @Conv(filters = Residual.STAGE, kernel = 3, padding = 1, groups = 0) Layer c;", // 7
                "  }",
                "  @Residual(filters = 2, custom = B.class) Layer stage;", // 9
                "  @Dense(units = 2) Layer out;",
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("groups of block layer 'c' of 'stage' (Conv) must be positive, found 0")
                .inFile(src).onLine(9);
    }

    @Test
    void dollarInAFieldName() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 3) Layer a$b;",                          // 6
                "  @Dense(units = 2) Layer out;",
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("layer field 'a$b' must not contain '$'").inFile(src).onLine(6);
    }

    // item 7: errors on the user's class, not in the generated code

    @Test
    void constructorWithArguments() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 2) Layer out;",                          // 6
                "  Net(int size) {}",                                      // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("NetNet calls Net() ").inFile(src).onLine(7);
    }

    @Test
    void privateConstructor() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 2) Layer out;",                          // 6
                "  private Net() {}",                                      // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("constructor Net() must not be private").inFile(src).onLine(7);
    }

    @Test
    void abstractMethod() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 2) Layer out;",                          // 6
                "  abstract int size();",                                  // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("abstract method size() of Net").inFile(src).onLine(7);
    }

    @Test
    void finalMethodTheGeneratedClassOverrides() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 2) Layer out;",                          // 6
                "  public final void forward(int n) {}",                   // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("method forward(int) of Net has the signature of a method NetNet generates")
                .inFile(src).onLine(7);
    }

    @Test
    void layerFieldNamedLikeAGeneratedMember() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 3) Layer state;",                        // 6
                "  @Dense(units = 2) Layer out;",
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("layer field 'state' has the name of a member NetNet generates")
                .inFile(src).onLine(6);
    }

    @Test
    void layerFieldNamedLikeABatchNormsGeneratedArray() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @BatchNorm Layer bn;",                                  // 6
                "  @Dense(units = 2) Layer bnMean;",                       // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("layer field 'bnMean' has the name of a member NetNet generates")
                .inFile(src).onLine(7);
    }

    @Test
    void constantNamesCollideByCase() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 3) Layer c1;",                           // 6
                "  @Dense(units = 2) Layer C1;",                           // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("layers 'c1' and 'C1' both name the generated constants C1_...")
                .inFile(src).onLine(7);
    }

    @Test
    void constantNamesCollideByUnderscore() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 3) Layer fooBar;",                       // 6
                "  @Dense(units = 2) Layer foo_bar;",                      // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("layers 'fooBar' and 'foo_bar' both name the generated constants FOO_BAR_...")
                .inFile(src).onLine(7);
    }

    @Test
    void layerFieldsInASuperclass() {
        JavaFileObject src = source(String.join("\n",
                "abstract class Base {",                                   // 4
                "  @Dense(units = 3) Layer hidden;",                       // 5
                "}",
                "@Network(input = {4})",                                   // 7
                "abstract class Net extends Base {",                       // 8
                "  @Dense(units = 2) Layer out;",
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("layer field 'hidden' of Base, a superclass of network Net, is not part of "
                + "the network").inFile(src).onLine(5);
    }

    // item 8: absurd values

    @Test
    void nonFiniteAttribute() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 3, activation = Activation.LEAKY_RELU, alpha = Double.NaN) Layer a;", // 6
                "  @Dense(units = 2, initStd = Double.POSITIVE_INFINITY) Layer out;",                 // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("alpha of 'a' (Dense) must be a finite number, found NaN").inFile(src)
                .onLine(6);
        assertThat(c).hadErrorContaining("initStd of 'out' (Dense) must be a finite number, found Infinity")
                .inFile(src).onLine(7);
    }

    @Test
    void sizesWhoseProductOverflowsInt() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 100000) Layer a;",                       // 6
                "  @Dense(units = 100000) Layer b;",                       // 7
                "  @Dense(units = 2) Layer out;",
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("'b' (Dense) needs 100000 x 100000 = 10000000000 weights").inFile(src)
                .onLine(7);
    }

    @Test
    void hugeSteps() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4}, steps = 1 << 28)",                  // 4
                "abstract class Net {",                                    // 5
                "  @LSTM(units = 8) Layer lstm;",                          // 6
                "  @Dense(units = 2) Layer out;",
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("@Network steps must be at most 65536").inFile(src).onLine(4);
    }

    @Test
    void arenaBeyondAnArray() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {8192}, steps = 60000)",                 // 4
                "abstract class Net {",                                    // 5
                "  @LSTM(units = 8) Layer lstm;",                          // 6
                "  @Dense(units = 2) Layer out;",
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("the input holds [60000 steps, 8192] = 60000 x 8192 = 491520000 floats per "
                + "sample; x 8 rows = 3932160000").inFile(src).onLine(4);
    }

    @Test
    void absurdValuesInsideABlock() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {2, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Block static class B {",                               // 6
                "    @Conv(filters = Residual.STAGE, kernel = 3, padding = 1) Layer c;",
                "    @Dropout(rate = 2.0) Layer drop;",
                "    @BatchNorm(epsilon = -1) Layer bn;",
                "    @LocalResponseNorm(size = 0) Layer lrn;",
                "  }",
                "  @Residual(filters = 2, custom = B.class) Layer stage;", // 13
                "  @Dense(units = 2) Layer out;",
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorContaining("rate of block layer 'drop' of 'stage' (Dropout) must be in [0, 1), found 2.0")
                .inFile(src).onLine(12);
        assertThat(c).hadErrorContaining("epsilon of block layer 'bn' of 'stage' (BatchNorm) must be positive"
                ).inFile(src).onLine(12);
        assertThat(c).hadErrorContaining("size of block layer 'lrn' of 'stage' (LocalResponseNorm) must be positive, "
                + "found 0").inFile(src).onLine(12);
    }

    @Test
    void nestedClassNamedLikeARuntimeType() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  static class Worker {}",                                // 6
                "  static class FloatBuffer {}",                           // 7
                "  @Dense(units = 2) Layer out;",
                "}"));
        assertThat(compile(src)).succeeded();
    }

    @Test
    void dollarInABlockLayerName() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {2, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Block static class B {",                               // 6
                "    @Conv(filters = Residual.STAGE, kernel = 3, padding = 1) Layer c$1;", // 7
                "  }",
                "  @Residual(filters = 2, custom = B.class) Layer stage;", // 9
                "  @Dense(units = 2) Layer out;",
                "}"));
        assertThat(compile(src)).hadErrorContaining("layer field 'c$1' must not contain '$'").inFile(src).onLine(7);
    }

    /** Found by the fuzzer (seed 1000305): the estimate left out the gradient slots; the runtime overflowed. */
    @Test
    void wideInputWhoseGradientSlotsOverflow() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1048576, 9, 10})",                      // 4
                "abstract class Net {",                                    // 5
                "  @Pool(kind = PoolKind.MAX, kernel = 2) Layer p;",
                "  @Dense(units = 6) Layer out;",
                "}"));
        assertThat(compile(src)).hadErrorContaining("the input holds [1048576, 9, 10] = 1048576 x 9 x 10 = 94371840 "
                + "floats per sample; x 8 rows = 754974720, more than the 536870911 floats a buffer holds").inFile(src)
                .onLine(4);
    }

    /** Found by the fuzzer (seed 2000129): 805 million parameters are more than a 2 GiB buffer holds. */
    @Test
    void embeddingBeyondABuffer() {
        JavaFileObject src = source(String.join("\n",
                "@Network(tokens = 268435456, steps = 2)",                 // 4
                "abstract class Net {",                                    // 5
                "  @Embedding(dim = 3) Layer emb;",                        // 6
                "  @LSTM(units = 5) Layer lstm;",
                "  @Dense(units = 4) Layer out;",
                "}"));
        assertThat(compile(src)).hadErrorContaining("'emb' (Embedding) needs 268435456 x 3 = 805306368 weights, more "
                + "than the 536870911 floats a buffer holds").inFile(src).onLine(6);
    }
}
