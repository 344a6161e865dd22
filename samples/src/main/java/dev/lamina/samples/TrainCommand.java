package dev.lamina.samples;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train}: one sample model, trained with a progress bar, then its test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = {"Trains one sample model and prints its test accuracy.",
                "--model gan trains a DCGAN on the CPU and writes a picture of generated images per epoch.",
                "The classifiers write an HTML run report (history, curves, confusion matrix, settings)."},
        footerHeading = "%nModels:%n")
final class TrainCommand implements Callable<Integer>, DeviceCommand {
    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "lenet", converter = ModelConverter.class,
            completionCandidates = ModelConverter.AllNames.class,
            description = "one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private SampleModel model;

    @Option(names = "--epochs", paramLabel = "N",
            description = "epochs (default: 3000 for autoencoder, 40 for charrnn, 5 for gan on Fashion-MNIST"
                    + " or 80 on the digits, else 2)")
    private Integer epochs;

    @Mixin
    private ThreadsOption threads;

    @Mixin
    private DataDeviceOptions dataDevice;

    @Option(names = "--report", paramLabel = "FILE",
            description = "digits and the Fashion-MNIST classifiers: the HTML run report, rewritten each epoch"
                    + " (default: target/reports/MODEL.html)")
    private Path report;

    @Option(names = "--no-report", description = "write no run report")
    private boolean noReport;

    @Option(names = "--checkpoints", paramLabel = "DIR",
            description = "digits and the Fashion-MNIST classifiers: a training checkpoint each epoch in DIR"
                    + " (parameters, optimizer state, epoch, shuffle and dropout state); when DIR holds one, the run"
                    + " resumes from it and ends as an uninterrupted run would")
    private Path checkpoints;

    @Option(names = "--out", paramLabel = "DIR", description = "gan only: the pictures' folder (default: target/gan)")
    private Path out;

    @Option(names = "--samples", paramLabel = "N", description = "gan only: training images (default: 25600)")
    private Integer samples;

    @Option(names = "--batch", paramLabel = "N", description = "gan only: batch size (default: 64)")
    private Integer batch;

    @Option(names = "--seed", paramLabel = "S", description = "gan only: random seed (default: 1)")
    private Long seed;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        Map<String, String> ganOptions = ganOptions();
        if (model == SampleModel.GAN) {
            if (report != null) {
                throw new IllegalArgumentException("a run report is written for the classifiers only, found --model"
                        + " gan with --report " + report);
            }
            if (checkpoints != null) {
                throw new IllegalArgumentException("training checkpoints are written for the classifiers only, found"
                        + " --model gan with --checkpoints " + checkpoints);
            }
            if (epochs != null) {
                ganOptions.put("epochs", epochs.toString());
            }
            Dcgan.run(ganOptions, dataDevice.data, dataDevice.device);
            return 0;
        }
        if (!ganOptions.isEmpty()) {
            throw new IllegalArgumentException("--" + String.join(", --", ganOptions.keySet())
                    + " only for --model gan, found --model " + model.cliName());
        }
        SampleTraining.train(model, epochs != null ? epochs : model.defaultEpochs(), dataDevice.data,
                dataDevice.device, reportFile(), checkpoints);
        return 0;
    }

    /**
     * The report's file: none with --no-report or for the models that write none unless asked (the autoencoder and
     * the character LSTM, which {@link SampleTraining} refuses a report), else --report or the default.
     */
    private Path reportFile() {
        if (noReport && report != null) {
            throw new IllegalArgumentException("expected --report FILE or --no-report, found both");
        }
        if (noReport || report == null && (model == SampleModel.AUTOENCODER || model == SampleModel.CHARRNN)) {
            return null;
        }
        return report != null ? report : Path.of("target", "reports", model.cliName() + ".html");
    }

    /** The GAN's own options that were given, by the names {@link Dcgan#run} reads. */
    private Map<String, String> ganOptions() {
        Map<String, String> given = new LinkedHashMap<>();
        if (out != null) {
            given.put("out", out.toString());
        }
        if (samples != null) {
            given.put("samples", samples.toString());
        }
        if (batch != null) {
            given.put("batch", batch.toString());
        }
        if (seed != null) {
            given.put("seed", seed.toString());
        }
        return given;
    }

    @Override
    public String device() {
        return dataDevice.device;
    }
}
