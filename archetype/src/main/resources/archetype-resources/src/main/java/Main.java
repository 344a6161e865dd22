package ${package};

import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.ProgressBar;
import dev.lamina.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.Locale;

/** Trains {@link DigitsCnn} on the digits, prints its held-out accuracy and saves a checkpoint. */
public final class Main {
    private static final int DEFAULT_EPOCHS = 10;

    private Main() {
    }

    /**
     * Runs the training.
     *
     * @param args optionally the number of epochs (10 when absent)
     */
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? epochs(args[0]) : DEFAULT_EPOCHS;
        Mnist.Split data = Digits.load(7);
        DigitsCnnNet net = DigitsCnnNet.create(1);
        Trainer.of(net).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32).epochs(epochs).seed(42)
                .listener(new ProgressBar()).fit(data.train(), data.test());
        Evaluation test = Evaluation.of(net, data.test(), 1000);
        System.out.printf(Locale.ROOT, "test accuracy %.4f (loss %.4f) after %d epochs%n", test.accuracy(),
                test.loss(), epochs);
        Path checkpoint = Path.of("digits-cnn.safetensors");
        Checkpoint.save(net, checkpoint);
        System.out.println("saved " + checkpoint.toAbsolutePath());
    }

    private static int epochs(String arg) {
        try {
            int epochs = Integer.parseInt(arg);
            if (epochs > 0) {
                return epochs;
            }
        } catch (NumberFormatException e) {
            // reported below, with what was expected
        }
        throw new IllegalArgumentException("expected a positive number of epochs, found '" + arg + "'");
    }
}
