package dev.lamina.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * A failure inside Lamina (an exception, or an assertion an internal invariant makes) is reported as a "Lamina bug"
 * error on the network class, never thrown into javac. The failure is injected through the processor's stage
 * hook, the test seam for this path: no network the processor accepts is meant to reach it.
 */
class LaminaBugTest {
    private static final JavaFileObject NET = JavaFileObjects.forSourceString("test.Net", String.join("\n",
            "package test;",                                               // 1
            "import dev.lamina.dsl.*;",                                    // 2
            "import dev.lamina.runtime.Layer;",                            // 3
            "@Network(input = {4})",                                       // 4
            "abstract class Net {",                                        // 5
            "  @Dense(units = 8, activation = Activation.RELU) Layer h;",  // 6
            "  @Dense(units = 2) Layer out;",                              // 7
            "}"));

    /** Compiles {@link #NET} with {@code failure} thrown before {@code stage}. */
    private static Compilation failingIn(String stage, Throwable failure) {
        LaminaProcessor processor = new LaminaProcessor(s -> {
            if (s.equals(stage)) {
                sneakyThrow(failure);
            }
        });
        return javac().withProcessors(processor).compile(NET);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void anAssertionErrorIsALaminaBugOnTheClass() {
        Compilation c = failingIn("plan", new AssertionError("regions overlap"));
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("Lamina bug while compiling network test.Net: java.lang.AssertionError: "
                + "regions overlap (please report it with this trace)").inFile(NET).onLine(5);
    }

    @Test
    void everyStageReportsWhatItThrows() {
        for (String stage : List.of("read", "check", "shapes", "fuse", "plan", "emit")) {
            Compilation c = failingIn(stage, new StackOverflowError(stage));
            assertThat(c).hadErrorContaining("Lamina bug while compiling network test.Net: "
                    + "java.lang.StackOverflowError: " + stage).inFile(NET).onLine(5);
        }
    }

    @Test
    void withoutAFailureTheNetworkCompiles() {
        List<String> stages = new java.util.ArrayList<>();
        Compilation c = javac().withProcessors(new LaminaProcessor(stages::add)).compile(NET);
        assertThat(c).succeeded();
        assertThat(stages).containsExactly("read", "check", "shapes", "fuse", "plan", "emit").inOrder();
    }
}
