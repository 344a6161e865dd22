package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's opening examples (before "## The two commands"), which show networks and a training program as
 * fragments: each network class compiles with Lamina's processor as a file of its own, and the statements around
 * them compile as the body of a method that is given {@code train} and {@code validation} data sets, all with the
 * imports a user would write. (The "Use Lamina in your project" section's snippets are whole files:
 * {@link ReadmeSnippetsTest}.)
 */
class ReadmeExamplesTest {
    private static final String HEADER = """
            package readme;

            import static dev.lamina.dsl.Activation.*;

            import dev.lamina.dsl.*;
            import dev.lamina.runtime.*;
            import dev.lamina.runtime.data.*;
            import dev.lamina.runtime.io.*;
            import dev.lamina.runtime.train.*;
            import java.nio.file.Path;

            """;
    /** A network class of a fragment: its annotations, the declaration, and its body up to a closing brace alone. */
    private static final Pattern CLASS = Pattern.compile(
            "((?:@Network[^\\n]*\\n)public abstract class (\\w+) \\{.*?\\n\\}\\n)", Pattern.DOTALL);

    @Test
    void theOpeningExamplesCompileWithTheProcessor(@TempDir Path dir) throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        String opening = readme.substring(0, readme.indexOf("## The two commands"));
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(opening);
        List<Path> sources = new ArrayList<>();
        List<String> networks = new ArrayList<>();
        StringBuilder statements = new StringBuilder();
        while (block.find()) {
            String text = block.group(1);
            Matcher network = CLASS.matcher(text);
            int end = 0;
            while (network.find()) {
                statements.append(text, end, network.start());
                end = network.end();
                networks.add(network.group(2));
                sources.add(write(dir, network.group(2), HEADER + network.group(1)));
            }
            statements.append(text.substring(end));
        }
        assertEquals(List.of("LeNet5", "PeerResNet", "RowLstm"), networks, "the README's example networks");
        assertTrue(statements.toString().contains("Trainer.of"), "expected the training statements");
        sources.add(write(dir, "Example", HEADER + "final class Example {\n"
                + "    static void run(Dataset train, Dataset validation) throws Exception {\n"
                + statements.toString().strip().indent(8) + "    }\n}\n"));
        compile(dir, sources);
        for (String network : networks) {
            assertTrue(Files.exists(dir.resolve("classes/readme/" + network + "Net.class")),
                    "expected the processor to generate readme." + network + "Net");
        }
    }

    private static Path write(Path dir, String name, String source) throws IOException {
        Path file = Files.createDirectories(dir.resolve("src/readme")).resolve(name + ".java");
        Files.writeString(file, source);
        return file;
    }

    private static void compile(Path dir, List<Path> sources) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classPath = System.getProperty("java.class.path");
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("--release", "17", "-classpath", classPath, "-processorpath", classPath,
                    "-d", Files.createDirectories(dir.resolve("classes")).toString(),
                    "-s", Files.createDirectories(dir.resolve("generated")).toString());
            boolean compiled = javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(compiled, "the README's opening examples do not compile: " + diagnostics.getDiagnostics());
        }
    }
}
