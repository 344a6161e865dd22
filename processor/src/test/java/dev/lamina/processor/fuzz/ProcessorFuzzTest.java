package dev.lamina.processor.fuzz;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.lamina.processor.LaminaProcessor;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.train.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor fuzzer (issue 15): compiles random network classes ({@link NetworkGenerator}) in process, and
 * requires for each either a network whose forward, loss, backward and an SGD step at batches of 1 and 5 rows give
 * finite values, or errors that each carry a source position in the user's file and none of which is a "Lamina bug".
 * {@code -Dlamina.fuzz.count=N -Dlamina.fuzz.seed=S} runs another set, {@code -Dlamina.fuzz.cases=S1,S2} the cases
 * a failure printed (README, "Run the tests").
 */
class ProcessorFuzzTest {
    private static final int COUNT = Integer.getInteger("lamina.fuzz.count", 300);
    private static final long SEED = Long.getLong("lamina.fuzz.seed", 15L);
    /** Networks with more parameters compile but are not trained here: the test's heap would not hold them. */
    private static final int MAX_RUN_PARAMETERS = 1 << 24;
    private static int tooLarge;

    @Test
    void everyRandomNetworkCompilesAndTrainsFinitelyOrIsRefusedOnTheUsersLines() {
        List<String> failures = new ArrayList<>();
        int compiled = 0;
        tooLarge = 0;
        long start = System.nanoTime();
        // -Dlamina.fuzz.cases=S1,S2 reruns the cases a failure printed, by their seeds
        String listed = System.getProperty("lamina.fuzz.cases", "");
        long[] seeds = listed.isBlank() ? java.util.stream.LongStream.range(0, COUNT).map(i -> SEED * 1_000_003L + i)
                .toArray() : java.util.Arrays.stream(listed.split(",")).mapToLong(x -> Long.parseLong(x.trim())).toArray();
        for (long seed : seeds) {
            NetworkGenerator.Case c = NetworkGenerator.generate(seed);
            try {
                String problem = run(c);
                if (problem == null) {
                    compiled++;
                } else if (!problem.isEmpty()) {
                    failures.add("seed " + c.seed() + ": " + problem + "\n" + c.source());
                }
            } catch (RuntimeException | Error e) {
                failures.add("seed " + c.seed() + ": " + e + "\n" + c.source());
            }
        }
        System.out.printf("processor fuzzer: %d networks (seed %d), %d compiled (%d of them too large to train "
                        + "here), %d refused, %.1f s%n", seeds.length, SEED, compiled, tooLarge,
                seeds.length - compiled - failures.size(), (System.nanoTime() - start) / 1e9);
        assertTrue(failures.isEmpty(), failures.size() + " of " + seeds.length + " cases failed:\n\n"
                + String.join("\n\n", failures.subList(0, Math.min(5, failures.size()))));
    }

    /** Null when the network compiled and trained finitely, "" when refused properly, else what went wrong. */
    private static String run(NetworkGenerator.Case c) throws Error {
        JavaFileObject source = JavaFileObjects.forSourceString(c.className(), c.source());
        Compilation compilation = javac().withProcessors(new LaminaProcessor()).compile(source);
        if (compilation.status() != Compilation.Status.SUCCESS) {
            StringBuilder bad = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : compilation.errors()) {
                String message = d.getMessage(null);
                boolean positioned = d.getSource() != null && d.getLineNumber() > 0
                        && !d.getSource().toUri().toString().contains("SOURCE_OUTPUT");
                if (message.contains("Lamina bug") || !positioned) {
                    bad.append(positioned ? "" : "unpositioned or in generated code: ").append(d).append('\n');
                }
            }
            return bad.toString();
        }
        Model model;
        try {
            Class<?> net = new MemoryClassLoader(compilation).loadClass(c.className() + "Net");
            model = (Model) net.getMethod("create", long.class).invoke(null, c.seed());
        } catch (ReflectiveOperationException e) {
            return "the generated class did not load: " + e + (e.getCause() != null ? " / " + e.getCause() : "");
        }
        if (model.parameterCount() > MAX_RUN_PARAMETERS) {
            // legal (SizesFitArrays admits up to 2 GiB) but more than the test JVM's heap copies for the optimizer
            tooLarge++;
            return null;
        }
        for (int n : new int[] {1, 5}) {
            String problem = step(model, n, c.tokens(), new Random(c.seed() + n));
            if (problem != null) {
                return "batch " + n + ": " + problem;
            }
        }
        return null;
    }

    /** One training step on random data; null when everything it computed is finite. */
    private static String step(Model model, int n, int tokens, Random random) {
        model.setTraining(true);
        model.reserve(n);
        float[] x = new float[model.inputSize()];
        float[] t = new float[model.outputSize()];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < x.length; k++) {
                x[k] = tokens > 0 ? random.nextInt(tokens) : (float) random.nextGaussian();
            }
            java.util.Arrays.fill(t, 0);
            switch (model.lossKind()) {
                case SOFTMAX_CROSS_ENTROPY -> t[random.nextInt(t.length)] = 1;
                case SIGMOID_CROSS_ENTROPY -> {
                    for (int k = 0; k < t.length; k++) {
                        t[k] = random.nextInt(2);
                    }
                }
                case MEAN_SQUARED_ERROR -> {
                    for (int k = 0; k < t.length; k++) {
                        t[k] = (float) random.nextGaussian();
                    }
                }
            }
            model.setInput(r, x, 0);
            model.setTarget(r, t, 0);
        }
        try {
            model.forward(n);
        } catch (IllegalArgumentException e) {
            if (n == 1 && e.getMessage().contains("needs more than one value per channel")) {
                return null; // a batch norm on vectors refuses to train on one row, and says so
            }
            throw e;
        }
        double loss = model.loss(n);
        model.backward(n);
        if (!Double.isFinite(loss)) {
            return "loss " + loss;
        }
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < model.outputSize(); k++) {
                if (!Float.isFinite(model.output(r, k))) {
                    return "output " + model.output(r, k) + " at row " + r;
                }
            }
        }
        if (!finite(model.gradients().toArray())) {
            return "a gradient is not finite";
        }
        Optimizer.sgd(0.01).step(model);
        if (!finite(model.parameters().toArray())) {
            return "a parameter is not finite after the step";
        }
        return null;
    }

    private static boolean finite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Loads the compilation's class files; everything else (the runtime) from the test's class path. */
    private static final class MemoryClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes = new HashMap<>();

        MemoryClassLoader(Compilation compilation) {
            super(ProcessorFuzzTest.class.getClassLoader());
            for (JavaFileObject file : compilation.generatedFiles()) {
                if (file.getKind() != JavaFileObject.Kind.CLASS) {
                    continue;
                }
                String path = file.toUri().getPath();
                String name = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(),
                        path.length() - ".class".length()).replace('/', '.');
                try (InputStream in = file.openInputStream()) {
                    classes.put(name, in.readAllBytes());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
