package dev.lamina.samples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fgsm}: accuracy of the digits CNN under attack, and adversarial digits (see {@link AdversarialDigits}). */
@Command(name = "fgsm", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = "Accuracy of the digits CNN under FGSM, iterated FGSM and random noise, with adversarial digits (CPU).")
final class FgsmCommand implements Callable<Integer> {
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
        AdversarialDigits.run(out, epochs);
        return 0;
    }
}
