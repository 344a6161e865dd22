package dev.lamina.samples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code features}: pictures of what the digits CNN learnt (see {@link FeaturePictures}). */
@Command(name = "features", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = "Pictures of what the digits CNN learnt: first-layer filters, feature maps, PCA and t-SNE"
                + " of a hidden layer (CPU).")
final class FeaturesCommand implements Callable<Integer>, DeviceCommand {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "digits", converter = ModelConverter.class,
            description = "digits, the only one (default: ${DEFAULT-VALUE})")
    private SampleModel model;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "cpu, the only one (default: ${DEFAULT-VALUE})")
    private String device;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/pictures",
            description = "the pictures' folder (default: ${DEFAULT-VALUE})")
    private Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "15", description = "epochs (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Mixin
    private ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        if (model != SampleModel.DIGITS || !device.equals("cpu")) {
            throw new ParameterException(spec.commandLine(), "expected --model digits on the CPU, found --model "
                    + model.cliName() + " --device " + device);
        }
        threads.apply();
        FeaturePictures.run(out, epochs);
        return 0;
    }

    @Override
    public String device() {
        return device;
    }
}
