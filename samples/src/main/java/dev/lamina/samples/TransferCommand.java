package dev.lamina.samples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code transfer}: transfer learning on the digits (see {@link TransferLearning}). */
@Command(name = "transfer", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = "Transfer learning on the embedded digits: a frozen feature extractor under a new head (CPU).")
final class TransferCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/transfer",
            description = "the source checkpoint's folder (default: ${DEFAULT-VALUE})")
    private Path out;

    @Option(names = "--source-epochs", paramLabel = "N", defaultValue = "20",
            description = "epochs of the source network (default: ${DEFAULT-VALUE})")
    private int sourceEpochs;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30",
            description = "epochs of the new head (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--per-class", paramLabel = "K", defaultValue = "20",
            description = "training examples per new class (default: ${DEFAULT-VALUE})")
    private int perClass;

    @Mixin
    private ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        TransferLearning.run(out, sourceEpochs, epochs, perClass);
        return 0;
    }
}
