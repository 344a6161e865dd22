package dev.lamina.samples;

import dev.lamina.runtime.data.Mnist;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hessian-free}: the 784-16-16-10 MLP trained by Hessian-free (Gauss-Newton and exact curvature), SGD with
 * momentum and Adam, the damping floor of the third Hessian-free run chosen on a validation split of the training set
 * unless {@code --no-choose-floor} (see {@link HessianFreeComparison}).
 */
@Command(name = "hessian-free", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = {"Trains the 784-16-16-10 tanh MLP on Fashion-MNIST (the UCI digits scaled to 28x28 when it is"
                + " absent) with Hessian-free (on the Gauss-Newton and on the exact curvature, and Gauss-Newton with a"
                + " damping floor chosen among 0.01, 0.1 and 1 on the training set's last sixth), SGD with momentum"
                + " and Adam, the same epochs and batches; prints each epoch's loss, accuracy and time, and plots test"
                + " loss against time and against epochs (CPU)."})
final class HessianFreeCommand implements Callable<Integer> {
    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5",
            description = "epochs of each optimizer (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1000",
            description = "batch size of all five (default: ${DEFAULT-VALUE}: large, as Hessian-free's curvature"
                    + " estimates need)")
    private int batch;

    @Option(names = "--data", paramLabel = "DIR", description = "the Fashion-MNIST folder (default: ${DEFAULT-VALUE})")
    private Path data = Mnist.FASHION_MNIST_DIR;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/hessian-free",
            description = "the plots' folder (default: ${DEFAULT-VALUE})")
    private Path out;

    @Option(names = "--choose-floor", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "choose the third Hessian-free run's damping floor among 0.01, 0.1 and 1: train on the"
                    + " training set's first five sixths for the same epochs, keep the floor of the lowest loss on"
                    + " the last sixth (default: ${DEFAULT-VALUE}; --no-choose-floor saves those three runs and takes "
                    + HessianFreeComparison.MINIMUM_DAMPING + ", chosen so on Fashion-MNIST)")
    private boolean chooseFloor;

    @Mixin
    private ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        HessianFreeComparison.run(data, epochs, batch, out, chooseFloor);
        return 0;
    }
}
