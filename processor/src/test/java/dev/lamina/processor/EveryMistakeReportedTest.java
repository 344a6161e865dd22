package dev.lamina.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: a network with several independent mistakes gets an error for each, each on its own line, not only
 * for the first; and a check that cannot judge because of an earlier mistake says nothing, so the error count is
 * exact.
 */
class EveryMistakeReportedTest {
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
    void aRefusedAttributeAMisfitAndAnUnknownReferenceInOneNetwork() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3) Layer stem;",            // 6
                "  @Conv(filters = 0, kernel = 3) Layer a;",               // 7
                "  @Pool(kernel = 2, from = \"stem\") Layer b;",           // 8
                "  @Conv(filters = 4, kernel = 5) Layer c;",               // 9
                "  @Dense(units = 2, from = \"stme\") Layer out;",         // 10
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(3);
        assertThat(c).hadErrorContaining("filters of 'a' (Conv) must be positive, found 0").inFile(src).onLine(7);
        assertThat(c).hadErrorContaining("kernel 5x5 of 'c' (Conv) is larger than its padded input 3x3 (input "
                + "[4, 3, 3], padding 0)").inFile(src).onLine(9);
        assertThat(c).hadErrorContaining("'out' reads 'stme', which is not a layer field of Net; did you mean "
                + "'stem'?").inFile(src).onLine(10);
    }

    @Test
    void theLossRulesBesideAnAttributeError() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 8) Layer h;",                            // 6
                "  @Dense(units = 0) Layer dead;",                         // 7
                "  @Dense(units = 3, activation = Activation.RELU, from = \"h\") Layer out;", // 8
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(3);
        assertThat(c).hadErrorContaining("units of 'dead' (Dense) must be positive, found 0").inFile(src).onLine(7);
        assertThat(c).hadErrorContaining("'dead' (Dense) is read by no layer, so it does not reach the output 'out'")
                .inFile(src).onLine(7);
        assertThat(c).hadErrorContaining("output layer 'out' has activation RELU, but SOFTMAX_CROSS_ENTROPY applies "
                + "softmax to the raw scores itself; use activation IDENTITY (output [3])").inFile(src).onLine(8);
    }

    @Test
    void aClassMistakeBesideALayerMistake() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "class Net {",                                             // 5
                "  @Dense(units = 0) Layer out;",                          // 6
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(2);
        assertThat(c).hadErrorContaining("network class Net must be abstract").inFile(src).onLine(4);
        assertThat(c).hadErrorContaining("units of 'out' (Dense) must be positive, found 0").inFile(src).onLine(6);
    }

    @Test
    void aRefusedInputBesideALayerMistake() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {0})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 0) Layer h;",                            // 6
                "  @Dense(units = 3, activation = Activation.RELU) Layer out;", // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(3);
        assertThat(c).hadErrorContaining("@Network input must be {features} or {channels, height, width} with every "
                + "size positive, found [0]").inFile(src).onLine(4);
        assertThat(c).hadErrorContaining("units of 'h' (Dense) must be positive, found 0").inFile(src).onLine(6);
        // judged without shapes: none can be inferred from the refused input
        assertThat(c).hadErrorContaining("output layer 'out' has activation RELU, but SOFTMAX_CROSS_ENTROPY applies "
                + "softmax to the raw scores itself; use activation IDENTITY").inFile(src).onLine(7);
    }

    @Test
    void independentBranchesThatDoNotFitEachReport() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3) Layer stem;",            // 6
                "  @Conv(filters = 4, kernel = 7) Layer a;",               // 7
                "  @Conv(filters = 4, kernel = 9, from = \"stem\") Layer b;", // 8
                "  @Concat(of = {\"a\", \"b\"}) Layer joined;",            // 9: reads both, says nothing
                "  @Dense(units = 2) Layer out;",                          // 10
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(2);
        assertThat(c).hadErrorContaining("kernel 7x7 of 'a' (Conv) is larger than its padded input 6x6").inFile(src)
                .onLine(7);
        assertThat(c).hadErrorContaining("kernel 9x9 of 'b' (Conv) is larger than its padded input 6x6").inFile(src)
                .onLine(8);
    }

    @Test
    void layersAfterARefusedOneSayNothing() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3, stride = 0) Layer c;",   // 6
                "  @Conv(filters = 4, kernel = 3) Layer d;",               // 7
                "  @Dense(units = 2) Layer out;",                          // 8
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("stride of 'c' (Conv) must be positive, found 0").inFile(src).onLine(6);
    }

    @Test
    void aNonFiniteValueIsReportedOnce() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4}, labelSmoothing = Double.NaN)",      // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 8) Layer h;",                            // 6
                "  @Dropout(rate = Double.NaN) Layer drop;",               // 7
                "  @Dense(units = 2) Layer out;",                          // 8
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(2);
        assertThat(c).hadErrorContaining("labelSmoothing of @Network must be a finite number, found NaN").inFile(src)
                .onLine(4);
        assertThat(c).hadErrorContaining("rate of 'drop' (Dropout) must be a finite number, found NaN").inFile(src)
                .onLine(7);
    }

    @Test
    void negativeStepsAndNegativeTokensBothReported() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4}, steps = -1, tokens = -2)",          // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 2) Layer out;",                          // 6
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(2);
        assertThat(c).hadErrorContaining("@Network steps must be positive for a sequence input (or 0 for none), "
                + "found -1").inFile(src).onLine(4);
        assertThat(c).hadErrorContaining("@Network tokens must be positive for a token input (or 0 for none), "
                + "found -2").inFile(src).onLine(4);
    }

    @Test
    void everyBadLayerOfABlockReported() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {2, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Block static class B {",                               // 6
                "    @Dense(units = 2) Layer d;",                          // 7
                "    @Conv(filters = 2, kernel = 3, padding = 1) Layer a$b;", // 8
                "  }",                                                     // 9
                "  @Residual(filters = 2, custom = B.class) Layer stage;", // 10
                "  @Dense(units = 2) Layer out;",                          // 11
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(2);
        assertThat(c).hadErrorContaining("'stage' (Residual) uses block B, whose layer 'd' is a @Dense").inFile(src)
                .onLine(10);
        assertThat(c).hadErrorContaining("layer field 'a$b' must not contain '$'").inFile(src).onLine(8);
    }

    @Test
    void aClassThatIsNotAbstractStillHasItsConstructorChecked() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4})",                                   // 4
                "class Net {",                                             // 5
                "  @Dense(units = 2) Layer out;",                          // 6
                "  Net(int size) {}",                                      // 7
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(2);
        assertThat(c).hadErrorContaining("network class Net must be abstract").inFile(src).onLine(4);
        assertThat(c).hadErrorContaining("constructor Net(int) takes arguments, but NetNet calls Net() when it "
                + "creates the network").inFile(src).onLine(7);
    }

    @Test
    void aLayerThatReachesNothingIsStillShaped() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {1, 8, 8})",                             // 4
                "abstract class Net {",                                    // 5
                "  @Conv(filters = 4, kernel = 3) Layer stem;",            // 6
                "  @Conv(filters = 4, kernel = 9) Layer dead;",            // 7
                "  @Dense(units = 2, from = \"stem\") Layer out;",         // 8
                "}"));
        Compilation c = compile(src);
        assertThat(c).hadErrorCount(2);
        assertThat(c).hadErrorContaining("'dead' (Conv) is read by no layer, so it does not reach the output 'out'")
                .inFile(src).onLine(7);
        assertThat(c).hadErrorContaining("kernel 9x9 of 'dead' (Conv) is larger than its padded input 6x6").inFile(src)
                .onLine(7);
    }
}
