package dev.lamina.samples;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bench}: the benchmark against the peers, one JSON line per epoch (see {@link Bench}). */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = "The benchmark against the peers in ../shared/peers: one JSON line per epoch.",
        footerHeading = "%nModels:%n")
final class BenchCommand implements Callable<Integer>, DeviceCommand {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "mlp", converter = ModelConverter.class,
            completionCandidates = ModelConverter.BenchmarkedNames.class,
            description = "one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private SampleModel model;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "epochs (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--stream", description = "read the training set a batch at a time from the memory-mapped IDX"
            + " files (prefetched on a background thread) instead of holding it in memory; same figures")
    private boolean stream;

    @Option(names = "--augment", description = "train with random shifts (up to 2 pixels), rotations (up to 10"
            + " degrees), scaling (up to 10%%) and Gaussian noise (sigma 0.05); changes the figures")
    private boolean augment;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "-1", description = "batches prepared ahead on a"
            + " background thread; 0 prepares them on the training thread (default: the trainer's choice)")
    private int prefetch;

    @Option(names = "--train-rows", paramLabel = "N", defaultValue = "0", description = "train on the first N"
            + " training images only (a quick run, on the CUDA emulation for instance); 0: all 60,000")
    private int trainRows;

    @Option(names = "--test-rows", paramLabel = "N", defaultValue = "0", description = "test on the first N test"
            + " images only; 0: all 10,000")
    private int testRows;

    @Mixin
    private ThreadsOption threads;

    @Mixin
    private DataDeviceOptions dataDevice;

    @Override
    public Integer call() throws Exception {
        if (!model.benchmarked()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--model': expected one of "
                    + SampleModel.names(SampleModel.benchmarkedModels()) + ", found '" + model.cliName() + "'");
        }
        threads.apply();
        if (prefetch < -1) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--prefetch': expected a"
                    + " number of batches >= 0, found " + prefetch);
        }
        if (trainRows < 0 || testRows < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--train-rows' or"
                    + " '--test-rows': expected a number of images >= 0, found " + trainRows + " and " + testRows);
        }
        Bench.run(model.cliName(), epochs, dataDevice.data, dataDevice.device,
                new Bench.Feed(stream, augment, prefetch, trainRows, testRows));
        return 0;
    }

    @Override
    public String device() {
        return dataDevice.device;
    }
}
