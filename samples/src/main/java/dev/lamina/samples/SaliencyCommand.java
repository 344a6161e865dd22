package dev.lamina.samples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code saliency}: saliency maps of the digits CNN (see {@link SaliencyDigits}). */
@Command(name = "saliency", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = "Saliency maps of the digits CNN: the input gradient of each digit's class (CPU).")
final class SaliencyCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/analysis",
            description = "the pictures' folder (default: ${DEFAULT-VALUE})")
    private Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30",
            description = "epochs of the digits CNN (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Mixin
    private ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        SaliencyDigits.run(out, epochs);
        return 0;
    }
}
