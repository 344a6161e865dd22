package dev.lamina.processor.generated;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.lamina.processor.LaminaProcessor;
import dev.lamina.processor.nets.ReshapeNets_DirectNet;
import dev.lamina.processor.nets.ReshapeNets_GeneratorNet;
import dev.lamina.processor.nets.ReshapeNets_RoundTripNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.GradientCheck;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Reshape}: its shapes, that it is a view, its gradients, and its compile errors. */
class ReshapeTest {
    @Test
    void aGeneratorReshapesADenseIntoAnImageAndAnImageIntoRows() {
        Model m = ReshapeNets_GeneratorNet.create(3);
        // [6] -> [48] -> [3, 4, 4] -> [2, 8, 8] -> [8 steps, 16] -> [8 steps, 3]
        assertEquals(8 * 3, m.outputSize());
        assertEquals(6 * 48 + 48 + 3 * 2 * 4 * 4 + 2 + 16 * 3 + 3, m.parameterCount());
    }

    @Test
    void aReshapeAndAFlattenBackComputeWhatTheNetworkWithoutThemDoes() {
        Model viewed = ReshapeNets_RoundTripNet.create(11);
        Model direct = ReshapeNets_DirectNet.create(11);
        float[] x = Fixtures.gaussian(3 * 5, 4);
        assertArrayEquals(direct.predict(x, 3), viewed.predict(x, 3));
    }

    @Test
    void gradientsThroughBothReshapes() {
        Model m = ReshapeNets_GeneratorNet.create(5);
        m.setTraining(true);
        float[] x = Fixtures.gaussian(2 * 6, 7);
        float[] targets = Fixtures.gaussian(2 * 24, 8);
        // smooth activations: every parameter within the limit, at GradientCheckTest's step and tolerance
        GradientCheck.Result r = GradientCheck.check(m, x, targets, 2, 1e-2, 1, 1e-2);
        assertTrue(r.passed(), r.toString());
        assertEquals(m.parameterCount(), r.checked());
    }

    private static final String HEADER = "package test;\nimport dev.lamina.dsl.*;\nimport dev.lamina.runtime.Layer;\n";

    @Test
    void anElementCountThatDoesNotMatchIsAnErrorOnTheReshape() {
        JavaFileObject src = JavaFileObjects.forSourceString("test.Net", HEADER + String.join("\n",
                "@Network(input = {4})",                                   // 4
                "abstract class Net {",                                    // 5
                "  @Dense(units = 30) Layer project;",                     // 6
                "  @Reshape({2, 4, 4}) Layer image;",                      // 7
                "  @Dense(units = 2) Layer out;",                          // 8
                "}"));
        Compilation c = javac().withProcessors(new LaminaProcessor()).compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'image' (Reshape) to [2, 4, 4] needs 32 values, but its input [30] has 30")
                .inFile(src).onLine(7);
    }

    @Test
    void fourSizesAreAnErrorOnTheReshape() {
        JavaFileObject src = JavaFileObjects.forSourceString("test.Net", HEADER + String.join("\n",
                "@Network(input = {16})",                                  // 4
                "abstract class Net {",                                    // 5
                "  @Reshape({1, 2, 2, 4}) Layer image;",                   // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}"));
        Compilation c = javac().withProcessors(new LaminaProcessor()).compile(src);
        assertThat(c).hadErrorContaining("'image' (Reshape) needs 1 size (a vector [features]), 2 (a sequence [steps, "
                + "features]) or 3 (an image [channels, height, width]), found 4").inFile(src).onLine(6);
    }

    @Test
    void aSizeThatIsNotPositiveIsAnErrorOnTheReshape() {
        JavaFileObject src = JavaFileObjects.forSourceString("test.Net", HEADER + String.join("\n",
                "@Network(input = {16})",                                  // 4
                "abstract class Net {",                                    // 5
                "  @Reshape({4, 0}) Layer rows;",                          // 6
                "  @Dense(units = 2) Layer out;",                          // 7
                "}"));
        Compilation c = javac().withProcessors(new LaminaProcessor()).compile(src);
        assertThat(c).hadErrorContaining("value[1] of 'rows' (Reshape) must be positive, found 0").inFile(src)
                .onLine(6);
    }
}
