package dev.lamina.samples;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.io.LoadReport;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Transfer learning on the embedded digits: a {@link DigitsCnn} learns the digits 0-4; its convolutions are loaded
 * into a {@link DigitsTransfer} (a partial checkpoint load, with its report), frozen, and a new head learns the
 * digits 5-9 from a few examples each. Beside it, the same head on frozen random convolutions (what the
 * transferred features are worth), the whole network trained from scratch on the same few examples, and the time
 * per epoch of the frozen network (whose backward pass stops at the head) against the whole one.
 */
public final class TransferLearning {
    /** What one run measured. */
    public record Result(double transferAccuracy, double randomFeaturesAccuracy, double scratchAccuracy,
                         boolean featuresUnchanged,
                         double frozenSecondsPerEpoch, double wholeSecondsPerEpoch, LoadReport report) {
    }

    private TransferLearning() {
    }

    /**
     * Runs the sample: {@code sourceEpochs} on 0-4, then {@code epochs} on {@code perClass} examples of each of
     * 5-9; writes the source checkpoint into {@code out}.
     */
    public static Result run(Path out, int sourceEpochs, int epochs, int perClass) throws IOException {
        Mnist.Split digits = SampleData.digits(7);
        Dataset sourceTrain = classes(digits.train(), 0, 4, Integer.MAX_VALUE);
        Dataset targetTrain = classes(digits.train(), 5, 9, perClass);
        Dataset targetTest = classes(digits.test(), 5, 9, Integer.MAX_VALUE);

        Model source = DigitsCnnNet.create(1);
        Trainer.of(source).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32).epochs(sourceEpochs).seed(42)
                .fit(sourceTrain);
        Files.createDirectories(out);
        Path checkpoint = out.resolve("digits-0-4.safetensors");
        Checkpoint.save(source, checkpoint);
        System.out.printf(Locale.ROOT, "source: DigitsCnn on digits 0-4 (%d examples), test accuracy on 0-4 %.4f%n",
                sourceTrain.size(), Evaluation.of(source, classes(digits.test(), 0, 4, Integer.MAX_VALUE), 1000)
                        .accuracy());

        DigitsTransferNet transfer = DigitsTransferNet.create(2);
        LoadReport report = Checkpoint.load(transfer, checkpoint, Checkpoint.Options.partial());
        System.out.println("loaded " + report.loaded() + "; kept their own " + report.kept() + "; unused in the file "
                + report.unused());
        float[] features = convolutionWeights(transfer);
        long start = System.nanoTime();
        Trainer.of(transfer).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(16).epochs(epochs).seed(42)
                .freeze(transfer.conv1, transfer.conv2).fit(targetTrain);
        double frozenSeconds = (System.nanoTime() - start) / 1e9 / epochs;
        boolean unchanged = Arrays.equals(features, convolutionWeights(transfer));

        DigitsTransferNet random = DigitsTransferNet.create(2);
        Trainer.of(random).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(16).epochs(epochs).seed(42)
                .freeze(random.conv1, random.conv2).fit(targetTrain);

        DigitsTransferNet scratch = DigitsTransferNet.create(2);
        start = System.nanoTime();
        Trainer.of(scratch).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(16).epochs(epochs).seed(42)
                .fit(targetTrain);
        double wholeSeconds = (System.nanoTime() - start) / 1e9 / epochs;

        Result result = new Result(Evaluation.of(transfer, targetTest, 1000).accuracy(),
                Evaluation.of(random, targetTest, 1000).accuracy(), Evaluation.of(scratch, targetTest, 1000).accuracy(), unchanged, frozenSeconds, wholeSeconds, report);
        System.out.printf(Locale.ROOT, "target: digits 5-9 from %d examples each, %d epochs; test accuracy on 5-9 "
                        + "(%d digits): transferred and frozen %.4f, random and frozen %.4f, whole network from "
                        + "scratch %.4f%n", perClass, epochs, targetTest.size(), result.transferAccuracy(),
                result.randomFeaturesAccuracy(), result.scratchAccuracy());
        System.out.printf(Locale.ROOT, "frozen convolutions bit-for-bit unchanged: %b; seconds per epoch: frozen %.4f,"
                + " whole network %.4f%n", unchanged, frozenSeconds, wholeSeconds);
        return result;
    }

    /** The rows of {@code data} whose label is in {@code [from, to]}, at most {@code perClass} of each. */
    static Dataset classes(Dataset data, int from, int to, int perClass) {
        int[] taken = new int[10];
        int[] rows = IntStream.range(0, data.size()).filter(i -> {
            int label = data.label(i);
            return label >= from && label <= to && taken[label]++ < perClass;
        }).toArray();
        return data.select(rows);
    }

    private static float[] convolutionWeights(DigitsTransferNet net) {
        float[] all = net.parameterArray();
        int end = 0;
        for (Layer layer : new Layer[] {net.conv1, net.conv2}) {
            for (var t : layer.parameters()) {
                end = Math.max(end, t.offset() + t.length());
            }
        }
        return Arrays.copyOf(all, end);
    }
}
