package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

/**
 * The README's "Use Lamina in your project" section: its Java snippets compile with Lamina's processor, and its
 * XML snippets are the quickstart archetype's pom (which .ci/quickstart builds and runs), the Maven plugin's
 * against that plugin's goals.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("..");
    private static final String SECTION = "## Use Lamina in your project";
    private static final Path QUICKSTART_POM =
            ROOT.resolve("archetype/src/main/resources/archetype-resources/pom.xml");

    @Test
    void javaSnippetsCompileWithTheProcessorAndGenerateTheNamedNetwork(@TempDir Path dir) throws IOException {
        List<String> snippets = blocks("java");
        assertTrue(snippets.size() >= 2, "expected the network and the training program, found " + snippets.size());
        List<Path> sources = new ArrayList<>();
        for (String snippet : snippets) {
            sources.add(write(dir.resolve("src"), snippet));
        }
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classPath = System.getProperty("java.class.path");
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            // the processor from the processor path, as maven-compiler-plugin's annotationProcessorPaths gives it
            List<String> options = List.of("--release", "17", "-classpath", classPath, "-processorpath", classPath,
                    "-d", classes.toString(), "-s", Files.createDirectories(dir.resolve("generated")).toString());
            boolean compiled = javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(compiled, "README snippets do not compile: " + diagnostics.getDiagnostics());
        }
        // the generated class the section names: DigitsCnn gives DigitsCnnNet in the same package
        assertTrue(Files.exists(classes.resolve("com/example/digits/DigitsCnnNet.class")),
                "expected com.example.digits.DigitsCnnNet from the processor, found " + list(classes));
    }

    @Test
    void xmlSnippetsAreTheQuickstartsPomOrThePluginsGoals() throws Exception {
        List<String> snippets = blocks("xml");
        assertTrue(snippets.size() >= 4, "expected the version, BOM, runtime, compiler and plugin snippets, found "
                + snippets.size());
        String version = projectVersion();
        String quickstart = normalised(Files.readString(QUICKSTART_POM).replace("@project.version@", version));
        for (String snippet : snippets) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader("<snippet>" + snippet + "</snippet>")));
            if (snippet.contains("<artifactId>lamina-maven-plugin</artifactId>")) {
                for (String goal : matches(snippet, "<goal>([^<]+)</goal>")) {
                    assertTrue(mojoNames().contains(goal), "expected a goal of " + mojoNames() + ", found " + goal);
                }
            } else {
                assertTrue(quickstart.contains(normalised(snippet)),
                        "README XML snippet not in the quickstart archetype's pom (Lamina " + version + "):\n"
                                + snippet);
            }
        }
    }

    /** The fenced blocks of {@code language} in the section, each without its fences. */
    private static List<String> blocks(String language) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "expected a section '" + SECTION + "' in README.md, found none");
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        return matches(section, "(?s)```" + language + "\n(.*?)```");
    }

    private static Path write(Path sources, String snippet) throws IOException {
        List<String> pkg = matches(snippet, "(?m)^package ([\\w.]+);");
        List<String> type = matches(snippet, "(?m)^public (?:final |abstract )*class (\\w+)");
        assertEquals(1, type.size(), "expected one public class in a README Java snippet, found:\n" + snippet);
        Path folder = sources.resolve(pkg.isEmpty() ? "" : pkg.get(0).replace('.', '/'));
        return Files.writeString(Files.createDirectories(folder).resolve(type.get(0) + ".java"), snippet);
    }

    /** The parent pom's version, which the README's {@code lamina.version} must name. */
    private static String projectVersion() throws IOException {
        List<String> versions = matches(Files.readString(ROOT.resolve("pom.xml")),
                "<artifactId>lamina-parent</artifactId>\\s*<version>([^<]+)</version>");
        assertEquals(1, versions.size(), "expected lamina-parent's version in pom.xml, found " + versions);
        return versions.get(0);
    }

    private static List<String> mojoNames() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve("maven-plugin/src/main/java"))) {
            List<String> names = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                names.addAll(matches(Files.readString(file), "@Mojo\\(name = \"([^\"]+)\""));
            }
            return names;
        }
    }

    /** Comments dropped and whitespace between and inside elements collapsed, so that indentation is free. */
    private static String normalised(String xml) {
        return xml.replaceAll("(?s)<!--.*?-->", "").replaceAll(">\\s+<", "><").replaceAll("\\s+", " ").trim();
    }

    private static List<String> matches(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String list(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(dir::relativize).map(Path::toString).collect(Collectors.joining(", "));
        }
    }
}
