package dev.lamina.spark.sample;

import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.train.EarlyStopping;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.ProgressBar;
import dev.lamina.spark.ModelFactory;
import dev.lamina.spark.ShardedData;
import dev.lamina.spark.SparkTrainer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark sample: {@code train --model lenet --spark local[2]} trains the samples' LeNet-5 on Fashion-MNIST as
 * {@code lamina-samples.jar train --model lenet} does on one machine (momentum 0.05 and 0.9, batches of 128, the
 * same initialisation), data-parallel on Spark: the executors read the IDX files themselves, the driver shows the
 * progress, evaluates the test set after each epoch and prints the test accuracy. Under {@code spark-submit} leave
 * out {@code --spark}: the master comes from spark-submit.
 *
 * <p>Options: {@code --epochs N} (2), {@code --data DIR} (the Fashion-MNIST folder, readable on every executor),
 * {@code --partitions N} (the master's default parallelism), {@code --local-steps K} (local SGD; default
 * synchronous), {@code --patience N} (early stopping on the test accuracy, best parameters restored),
 * {@code --checkpoints DIR} (save each epoch, resume from there).
 */
public final class SparkTrain {
    private static final List<String> OPTIONS = List.of("--model", "--spark", "--epochs", "--data", "--partitions",
            "--local-steps", "--patience", "--checkpoints");

    private SparkTrain() {
    }

    /**
     * Runs the sample.
     *
     * @param args {@code train --model lenet [--spark MASTER] [options]}
     * @throws Exception when the data cannot be read or training fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        if (!options.getOrDefault("--model", "lenet").equals("lenet")) {
            throw new IllegalArgumentException("expected --model lenet (the one Spark sample), found --model "
                    + options.get("--model"));
        }
        String data = options.getOrDefault("--data", Mnist.FASHION_MNIST_DIR.toString());
        int epochs = Integer.parseInt(options.getOrDefault("--epochs", "2"));
        SparkConf conf = new SparkConf().setAppName("lamina-lenet");
        if (options.containsKey("--spark")) {
            conf.setMaster(options.get("--spark"));
        }
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.setLogLevel("WARN");
            int partitions = Integer.parseInt(options.getOrDefault("--partitions",
                    Integer.toString(spark.defaultParallelism())));
            // the executors read the IDX files; a String, not a Path, travels to them (Path is not serializable)
            ShardedData train = ShardedData.load(spark, () -> Mnist.load(Path.of(data)).train(), 128, partitions,
                    42);
            Mnist.Split split = Mnist.load(Path.of(data));
            SparkTrainer trainer = SparkTrainer.of(spark, ModelFactory.generated(LeNet5Net.class.getName(), 0))
                    .optimizer(() -> Optimizer.momentum(0.05, 0.9)).epochs(epochs).seed(42)
                    .listener(new ProgressBar());
            if (options.containsKey("--local-steps")) {
                trainer.localSteps(Integer.parseInt(options.get("--local-steps")));
            }
            if (options.containsKey("--patience")) {
                trainer.earlyStopping(EarlyStopping.onValidationAccuracy()
                        .patience(Integer.parseInt(options.get("--patience"))).restoreBest());
            }
            if (options.containsKey("--checkpoints")) {
                trainer.checkpoints(Path.of(options.get("--checkpoints")));
            }
            System.out.println(trainer.model().summary());
            System.out.println("on Spark " + spark.version() + ", master " + spark.master() + ", " + partitions
                    + " partitions of each global batch of " + train.globalBatch());
            long started = System.nanoTime();
            History history = trainer.fit(train, split.test());
            double seconds = (System.nanoTime() - started) / 1e9;
            Evaluation test = Evaluation.of(trainer.model(), split.test(), 1000);
            System.out.printf(Locale.ROOT, "%s: test accuracy %.4f (loss %.4f) after %d epochs, %d Spark jobs,"
                            + " %.1f ms per job%n", trainer.model().name(), test.accuracy(), test.loss(),
                    history.epochs().size(), trainer.jobs(), 1000 * seconds / Math.max(1, trainer.jobs()));
        }
    }

    private static Map<String, String> parse(String[] args) {
        if (args.length == 0 || !args[0].equals("train")) {
            throw new IllegalArgumentException("expected: train --model lenet [--spark MASTER] [--epochs N]"
                    + " [--data DIR] [--partitions N] [--local-steps K] [--patience N] [--checkpoints DIR], found "
                    + String.join(" ", args));
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected one of " + OPTIONS + " followed by a value, found '"
                        + args[i] + "'" + (i + 1 >= args.length ? " without a value" : ""));
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
