package dev.lamina.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * {@code @Network(secondOrder = true)}: a layer without R-rules is an error on its own annotation (each one, not
 * only the first), and only a network that asks for the R-passes gets {@code hessianVectorProduct}.
 */
class SecondOrderDiagnosticsTest {
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

    private static String message(String layer, String kind) {
        return "'" + layer + "' (" + kind + ") has no R-pass yet, so @Network(secondOrder = true) cannot give exact "
                + "Hessian-vector products through it; the R-pass exists for ";
    }

    @Test
    void everyLayerWithoutAnRPassIsAnErrorOnItsAnnotation() {
        JavaFileObject src = source(String.join("\n",
                "@Network(input = {4}, steps = 6, secondOrder = true)",    // 4
                "abstract class Net {",                                    // 5
                "  @LSTM(units = 5, returnSequences = true) Layer l;",     // 6
                "  @GRU(units = 5) Layer g;",                              // 7
                "  @Dense(units = 2) Layer out;",                          // 8
                "}"));
        Compilation c = compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining(message("l", "LSTM")).inFile(src).onLine(6);
        assertThat(c).hadErrorContaining(message("g", "GRU")).inFile(src).onLine(7);
        assertThat(c).hadErrorCount(2);
        // the message lists the annotations that have R-rules, as the op kinds declare them
        assertThat(c.errors().get(0).getMessage(null)).contains("@Dense");
        assertThat(c.errors().get(0).getMessage(null)).contains("@Flatten");
        assertThat(c.errors().get(0).getMessage(null)).doesNotContain("@LSTM");
    }

    @Test
    void onlyANetworkThatAsksGetsTheProduct() throws IOException {
        String body = String.join("\n",
                "@Network(input = {4}%s)",
                "abstract class Net {",
                "  @Dense(units = 5, activation = Activation.TANH) Layer h;",
                "  @Dense(units = 2) Layer out;",
                "}");
        Compilation with = compile(source(String.format(body, ", secondOrder = true")));
        Compilation without = compile(source(String.format(body, "")));
        assertThat(with).succeeded();
        assertThat(without).succeeded();
        String withSource = with.generatedSourceFile("test.NetNet").orElseThrow().getCharContent(true).toString();
        String withoutSource = without.generatedSourceFile("test.NetNet").orElseThrow().getCharContent(true)
                .toString();
        assertThat(withSource).contains("public void hessianVectorProduct(int n, double[] v, double[] out)");
        assertThat(withSource).contains("public void gaussNewtonVectorProduct(int n, double[] v, double[] out)");
        assertThat(withoutSource).doesNotContain("hessianVectorProduct");
        assertThat(withoutSource).doesNotContain("gaussNewton");
        // the rest of the class is the same: the R-pass is one method added, the Gauss-Newton product another
        // and its flag, nothing else moves
        String rest = withoutMember(withSource, "    /**\n     * {@code H v} of the mean loss");
        rest = withoutMember(rest, "    /**\n     * {@code G v = J^T H_loss J v}");
        String field = "    private boolean gaussNewton;\n\n";
        assertThat(rest).contains(field);
        assertThat(rest.replace(field, "")).isEqualTo(withoutSource);
    }

    /** {@code source} without the method whose javadoc starts with {@code start}, and the blank line after it. */
    private static String withoutMember(String source, String start) {
        int at = source.indexOf(start);
        assertThat(at).isAtLeast(0);
        int end = source.indexOf("\n    }\n", at) + "\n    }\n".length();
        if (source.startsWith("\n", end)) {
            end++;
        }
        return source.substring(0, at) + source.substring(end);
    }
}
