package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Augmentation;
import dev.lamina.runtime.data.DataSource;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.IdxSource;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The benchmark: the peers' models and settings (../shared/peers/README.md: batch 128, SGD lr 0.05 momentum 0.9,
 * softmax cross-entropy, pixels in [0, 1]), one JSON line per epoch with the peers' keys. {@code train_s} times
 * the batch loop only (as the peers do, after the shuffle); {@code infer_s} times the test set in batches of 1000.
 * With {@code --device cuda} the model trains on the GPU, the training set held there (the PyTorch peer's fourth
 * argument {@code cuda}), and the peer name says so as PyTorch's does ({@code lamina-0.1.0-cuda}).
 */
final class Bench {
    static final String VERSION = "0.1.0";

    private Bench() {
    }

    static Model create(String name) {
        return switch (name) {
            case "mlp" -> MlpNet.create(0);
            case "lenet" -> LeNet5Net.create(0);
            case "lstm" -> RowLstmNet.create(0);
            case "resnet" -> PeerResNetNet.create(0);
            case "inception" -> InceptionNetNet.create(0);
            default -> throw new IllegalArgumentException("unknown model '" + name
                    + "': use mlp, lenet, lstm, resnet or inception");
        };
    }

    /**
     * How the training batches are fed; the defaults give the published figures.
     *
     * @param stream read the training set through {@link IdxSource} instead of memory (the same values)
     * @param augment shift, rotate, scale and add noise to the training images ({@link #AUGMENTATION})
     * @param prefetch batches prepared ahead; -1: the trainer's default
     * @param trainRows the first this many training images only; 0: all (the published figures)
     * @param testRows the first this many test images only; 0: all
     */
    record Feed(boolean stream, boolean augment, int prefetch, int trainRows, int testRows) {
        Feed(boolean stream, boolean augment, int prefetch) {
            this(stream, augment, prefetch, 0, 0);
        }
    }

    /** The augmentation of {@code --augment}. */
    static final Augmentation AUGMENTATION = Augmentation.of(Augmentation.shift(2, 2),
            Augmentation.rotateScale(10, 0.1), Augmentation.gaussianNoise(0.05));

    static void run(String modelName, int epochs, Path data, String device, Feed feed) throws IOException {
        boolean stream = feed.stream();
        Model model = Devices.on(device, create(modelName));
        Mnist.Split split = stream ? null : SampleData.fashionMnist(data);
        DataSource train = stream ? IdxSource.mnist(data, "train") : split.train();
        Dataset testSet;
        if (stream) {
            try (IdxSource t10k = IdxSource.mnist(data, "t10k")) {
                testSet = t10k.load();
            }
        } else {
            testSet = split.test();
        }
        if (feed.trainRows() > 0) {
            if (stream) {
                throw new IllegalArgumentException("--train-rows reads from memory: drop --stream");
            }
            train = split.train().slice(0, Math.min(feed.trainRows(), split.train().size()));
        }
        if (feed.testRows() > 0) {
            testSet = testSet.slice(0, Math.min(feed.testRows(), testSet.size()));
        }
        Optimizer sgd = Optimizer.momentum(0.05, 0.9);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Trainer trainer = Trainer.of(model).optimizer(sgd).batchSize(128).epochs(1).seed(epoch)
                    .augmentation(feed.augment() ? AUGMENTATION : null);
            if (feed.prefetch() >= 0) {
                trainer.prefetch(feed.prefetch(), 1);
            }
            EpochRecord r = trainer.fit(train).last();
            long t0 = System.nanoTime();
            Evaluation test = Evaluation.of(model, testSet, 1000);
            double inferSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "{\"peer\": \"lamina-%s\", \"model\": \"%s\", \"epoch\": %d, \"train_s\": %.3f, "
                            + "\"samples_per_s\": %d, \"infer_s\": %.3f, \"test_acc\": %.4f, \"params\": %d}%n",
                    VERSION + (device.equals("cpu") ? "" : "-cuda"), modelName, epoch, r.seconds(), Math.round(r.samplesPerSecond()), inferSeconds,
                    test.accuracy(), model.parameterCount());
        }
    }
}
