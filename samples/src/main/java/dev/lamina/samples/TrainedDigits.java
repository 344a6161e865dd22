package dev.lamina.samples;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.report.RunReport;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@link DigitsCnn} trained on the embedded 8x8 digits (pixels in [0, 1]) as the default sample trains it
 * (momentum 0.05/0.9, batches of 32, seed 42): the network the input-gradient samples ({@code fgsm},
 * {@code saliency}, {@code maximise}) look into. A few seconds for 30 epochs.
 */
record TrainedDigits(Model model, Mnist.Split data, double accuracy, RunReport report) {

    /** Trains for {@code epochs} and prints the held-out accuracy; no run report. */
    static TrainedDigits train(int epochs) {
        return train(epochs, null);
    }

    /**
     * Trains for {@code epochs} and prints the held-out accuracy; the run report goes to {@code reportFile} (each
     * epoch) unless it is null, and {@link #report} lets the caller add its pictures.
     */
    static TrainedDigits train(int epochs, Path reportFile) {
        if (epochs < 1) {
            throw new IllegalArgumentException("expected at least one epoch, found --epochs " + epochs);
        }
        Mnist.Split split = SampleData.digits(7);
        Model model = DigitsCnnNet.create(1);
        Trainer trainer = Trainer.of(model).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32).epochs(epochs)
                .seed(42);
        RunReport report = reportFile == null ? null : RunReport.of(reportFile, trainer).validation(split.test());
        if (report != null) {
            trainer.listener(report);
        }
        trainer.fit(split.train(), split.test());
        double accuracy = Evaluation.of(model, split.test(), 1000).accuracy();
        System.out.printf(Locale.ROOT, "%s: held-out accuracy %.4f after %d epochs%n", model.name(), accuracy,
                epochs);
        return new TrainedDigits(model, split, accuracy, report);
    }

    /** The layer of that name. */
    Layer layer(String name) {
        return model.layers().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(model.name() + " has no layer " + name));
    }
}
