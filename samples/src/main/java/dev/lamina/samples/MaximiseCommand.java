package dev.lamina.samples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code maximise}: an input that maximises each class of the digits CNN (see {@link MaximisedDigits}). */
@Command(name = "maximise", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = "An input that maximises each class of the digits CNN (CPU).")
final class MaximiseCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/analysis",
            description = "the pictures' folder (default: ${DEFAULT-VALUE})")
    private Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30",
            description = "epochs of the digits CNN (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "300",
            description = "gradient steps on the picture (default: ${DEFAULT-VALUE})")
    private int steps;

    @Mixin
    private ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        MaximisedDigits.run(out, epochs, steps);
        return 0;
    }
}
