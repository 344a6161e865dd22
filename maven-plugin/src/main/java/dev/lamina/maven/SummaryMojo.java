package dev.lamina.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints, for every network of the project, its layers with output shapes, parameter counts, FLOPs and
 * activation memory per sample: from the descriptions the processor wrote at compile time, so nothing of the
 * project's code runs. {@code mvn compile lamina:summary}.
 */
@Mojo(name = "summary", defaultPhase = LifecyclePhase.PROCESS_CLASSES, threadSafe = true)
public final class SummaryMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    private java.io.File classesDirectory;

    @Override
    public void execute() throws MojoExecutionException {
        Path classes = classesDirectory.toPath();
        List<Path> files;
        if (!Files.isDirectory(classes)) {
            getLog().info("Lamina: nothing compiled yet in " + classes + " (run the compile phase first)");
            return;
        }
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(f -> f.toString().endsWith(".summary.tsv")).sorted().toList();
        } catch (IOException e) {
            throw new MojoExecutionException("cannot list " + classes, e);
        }
        if (files.isEmpty()) {
            getLog().info("Lamina: no networks in " + classes);
            return;
        }
        for (Path file : files) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                for (String line : SummaryTable.format(text, classes.relativize(file).toString()).split("\n")) {
                    getLog().info(line);
                }
                getLog().info("");
            } catch (IOException | IllegalArgumentException e) {
                throw new MojoExecutionException("Lamina: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
