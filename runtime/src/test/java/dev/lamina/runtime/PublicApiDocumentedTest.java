package dev.lamina.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public member of the packages users touch keeps its javadoc: the annotations (dsl-annotations), the runtime
 * apart from {@code dev.lamina.runtime.kernels} (which only generated code calls, and the published javadoc leaves
 * out), and the gpu module. The sources are only parsed (no class path needed, so the gpu module's sources are read
 * from here too); a failure names each member without a comment, with its file and line.
 */
class PublicApiDocumentedTest {

    /** Source roots of the published API, relative to the runtime module (the directory surefire runs in). */
    private static final List<Path> ROOTS = List.of(
            Path.of("../dsl-annotations/src/main/java"),
            Path.of("src/main/java"),
            Path.of("../gpu/src/main/java"));

    /** Packages under the roots that are not API: generated code calls them, users do not. */
    private static final List<String> INTERNAL_PACKAGES = List.of("dev/lamina/runtime/kernels/");

    @Test
    void everyPublicMemberOfTheApiHasAComment() throws IOException {
        List<Path> sources = apiSources();
        assertTrue(sources.size() > 100, "expected the API's sources (over 100 files), found " + sources.size());
        List<String> missing = undocumented(sources);
        assertTrue(missing.isEmpty(), () -> missing.size() + " public API members have no javadoc comment:\n"
                + String.join("\n", missing));
    }

    /**
     * Public only for generated code or the device path: each says so first, so that a reader of the javadoc or the
     * sources knows it is not API (docs/ARCHITECTURE.md, "Public API").
     */
    private static final List<String> INTERNAL_FILES = List.of(
            "src/main/java/dev/lamina/runtime/kernels/package-info.java",
            "src/main/java/dev/lamina/runtime/NetworkState.java",
            "src/main/java/dev/lamina/runtime/Blas.java",
            "src/main/java/dev/lamina/runtime/Worker.java",
            "../gpu/src/main/java/dev/lamina/gpu/CudaGraph.java",
            "../gpu/src/main/java/dev/lamina/gpu/CudaModule.java",
            "../gpu/src/main/java/dev/lamina/gpu/DeviceMemory.java",
            "../gpu/src/main/java/dev/lamina/gpu/DeviceProgram.java",
            "../gpu/src/main/java/dev/lamina/gpu/DeviceProgramCheck.java",
            "../gpu/src/main/java/dev/lamina/gpu/Kernel.java",
            "../gpu/src/main/java/dev/lamina/gpu/KernelLibrary.java",
            "../gpu/src/main/java/dev/lamina/gpu/KernelSignatures.java",
            "../gpu/src/main/java/dev/lamina/gpu/Linear.java",
            "../gpu/src/main/java/dev/lamina/gpu/NetworkKernels.java",
            "../gpu/src/main/java/dev/lamina/gpu/PinnedBuffer.java");

    @Test
    void everyInternalTypeSaysItIsNotApi() throws IOException {
        List<String> unmarked = new ArrayList<>();
        for (String file : INTERNAL_FILES) {
            String text = Files.readString(Path.of(file));
            int comment = text.indexOf("/**");
            String first = comment < 0 ? "" : text.substring(comment + 3).stripLeading().replaceFirst("^\\*\\s*", "");
            if (!first.startsWith("Internal, not API")) {
                unmarked.add(file + ": expected its comment to begin \"Internal, not API\", found \""
                        + first.lines().findFirst().orElse("") + "\"");
            }
        }
        assertTrue(unmarked.isEmpty(), () -> String.join("\n", unmarked));
    }

    @Test
    void theCheckFindsAMemberWithoutAComment(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Sample.java");
        Files.writeString(file, """
                /** A documented class. */
                public class Sample {
                    /** Documented. */
                    public void documented() {}
                    public int undocumented(int x) { return x; }
                    private void hidden() {}
                }
                """);
        List<String> missing = undocumented(List.of(file));
        assertEquals(1, missing.size(), missing.toString());
        assertTrue(missing.get(0).contains("Sample.java:5") && missing.get(0).contains("undocumented"),
                "expected the member and its line, found " + missing.get(0));
    }

    private static List<Path> apiSources() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (Path root : ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> INTERNAL_PACKAGES.stream()
                                .noneMatch(p -> root.relativize(f).toString().replace('\\', '/').startsWith(p)))
                        .forEach(sources::add);
            }
        }
        return sources;
    }

    /** Parses the files (no attribution) and lists each public or protected member of a public type without a comment. */
    private static List<String> undocumented(List<Path> sources) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
            JavacTask task = (JavacTask) javac.getTask(null, files, null, List.of("-proc:none"), null, units);
            DocTrees docs = DocTrees.instance(task);
            List<String> missing = new ArrayList<>();
            for (CompilationUnitTree unit : task.parse()) {
                new MissingComments(unit, docs, missing).scan(new TreePath(unit), null);
            }
            return missing;
        }
    }

    /** Walks one file: public types and, inside them, their public and protected members. */
    private static final class MissingComments extends TreePathScanner<Void, Void> {
        private final CompilationUnitTree unit;
        private final DocTrees docs;
        private final List<String> missing;
        /** Whether the enclosing type is an interface or annotation, whose members are public without saying so. */
        private boolean implicitlyPublic;

        MissingComments(CompilationUnitTree unit, DocTrees docs, List<String> missing) {
            this.unit = unit;
            this.docs = docs;
            this.missing = missing;
        }

        @Override
        public Void visitClass(ClassTree type, Void unused) {
            if (!visible(type.getModifiers())) {
                return null; // nothing inside a hidden type is API
            }
            check(type.getSimpleName().toString());
            boolean outer = implicitlyPublic;
            implicitlyPublic = type.getKind() == Tree.Kind.INTERFACE || type.getKind() == Tree.Kind.ANNOTATION_TYPE;
            boolean isRecord = type.getKind() == Tree.Kind.RECORD;
            TreePath here = getCurrentPath(); // scan(TreePath, ...) below clears the current path when it returns
            for (Tree member : type.getMembers()) {
                if (isRecord && member instanceof VariableTree field
                        && !field.getModifiers().getFlags().contains(Modifier.STATIC)) {
                    continue; // a record's components are documented by the record's @param tags
                }
                if (isRecord && member instanceof MethodTree m && m.getName().contentEquals("<init>")
                        && m.getParameters().isEmpty()) {
                    continue; // a compact canonical constructor: javadoc documents it from the record's comment
                }
                scan(new TreePath(here, member), null);
            }
            implicitlyPublic = outer;
            return null;
        }

        @Override
        public Void visitMethod(MethodTree method, Void unused) {
            boolean overrides = method.getModifiers().getAnnotations().stream()
                    .anyMatch(a -> a.getAnnotationType().toString().equals("Override"));
            if (!overrides && visible(method.getModifiers())) { // an override inherits the overridden comment
                check(method.getName().contentEquals("<init>") ? "constructor" : method.getName() + "()");
            }
            return null; // a method's body declares nothing public
        }

        @Override
        public Void visitVariable(VariableTree field, Void unused) {
            if (visible(field.getModifiers())) {
                check(field.getName().toString());
            }
            return null;
        }

        private boolean visible(ModifiersTree modifiers) {
            return implicitlyPublic && !modifiers.getFlags().contains(Modifier.PRIVATE)
                    || modifiers.getFlags().contains(Modifier.PUBLIC)
                    || modifiers.getFlags().contains(Modifier.PROTECTED);
        }

        private void check(String name) {
            DocCommentTree comment = docs.getDocCommentTree(getCurrentPath());
            if (comment == null || comment.getFullBody().isEmpty() && comment.getBlockTags().isEmpty()) {
                long line = unit.getLineMap().getLineNumber(
                        docs.getSourcePositions().getStartPosition(unit, getCurrentPath().getLeaf()));
                missing.add(unit.getSourceFile().getName() + ":" + line + ": " + enclosing() + name);
            }
        }

        /** The enclosing type's name and a dot, for a member; nothing for a top-level type. */
        private String enclosing() {
            for (TreePath p = getCurrentPath().getParentPath(); p != null; p = p.getParentPath()) {
                if (p.getLeaf() instanceof ClassTree type) {
                    return type.getSimpleName() + ".";
                }
            }
            return "";
        }
    }
}
