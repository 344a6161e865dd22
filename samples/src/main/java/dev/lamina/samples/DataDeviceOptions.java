package dev.lamina.samples;

import dev.lamina.runtime.data.Mnist;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data DIR} and {@code --device cpu|cuda|cuda:N}, for the commands that train a Fashion-MNIST model. */
final class DataDeviceOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Fashion-MNIST's folder (Debian's dataset-fashion-mnist; default: ${DEFAULT-VALUE})")
    Path data = Mnist.FASHION_MNIST_DIR;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "cpu, or cuda (cuda:N) to train on an NVIDIA GPU (default: ${DEFAULT-VALUE})")
    String device;
}
