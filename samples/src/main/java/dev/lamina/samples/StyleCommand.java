package dev.lamina.samples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code style}: style transfer through a random conv net (see {@link StyledPicture}). */
@Command(name = "style", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = "Neural style transfer through a random conv net (CPU).")
final class StyleCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/analysis",
            description = "the pictures' folder (default: ${DEFAULT-VALUE})")
    private Path out;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "300",
            description = "gradient steps on the picture (default: ${DEFAULT-VALUE})")
    private int steps;

    @Mixin
    private ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        StyledPicture.run(out, steps);
        return 0;
    }
}
