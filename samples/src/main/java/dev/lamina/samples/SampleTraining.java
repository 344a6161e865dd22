package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.report.RunReport;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.ProgressBar;
import dev.lamina.runtime.train.Trainer;
import dev.lamina.runtime.train.TrainingCheckpoint;
import java.nio.file.Path;
import java.util.Locale;

/** Trains one of the classifiers (or the autoencoder, or the character LSTM) and prints its test accuracy. */
final class SampleTraining {
    private SampleTraining() {
    }

    /** Trains {@code sample} for {@code epochs} on {@code device}, with no run report. */
    static void train(SampleModel sample, int epochs, Path data, String device) throws Exception {
        train(sample, epochs, data, device, null, null);
    }

    /**
     * Trains {@code sample} for {@code epochs} on {@code device}; a classifier's run report (see {@link RunReport})
     * goes to {@code report}, rewritten each epoch, unless it is null; a classifier's training checkpoint (see
     * {@link TrainingCheckpoint}) is written to {@code checkpoints} each epoch unless it is null, and the run resumes
     * from the one already there.
     *
     * @throws IllegalArgumentException for the GAN (see {@link Dcgan}), a CPU-only model on another device, or a
     *     report or checkpoints asked of the autoencoder or the character LSTM
     */
    static void train(SampleModel sample, int epochs, Path data, String device, Path report, Path checkpoints)
            throws Exception {
        if (sample == SampleModel.GAN) {
            throw new IllegalArgumentException("expected a classifier, found the gan sample (see Dcgan)");
        }
        if (sample.cpuOnly() && !device.equals("cpu")) {
            throw new IllegalArgumentException("the " + sample.cliName()
                    + " sample runs on the CPU only: expected --device cpu, found " + device);
        }
        if (report != null && (sample == SampleModel.AUTOENCODER || sample == SampleModel.CHARRNN)) {
            throw new IllegalArgumentException("a run report is written for the classifiers only, found --model "
                    + sample.cliName() + " with --report " + report);
        }
        if (checkpoints != null && (sample == SampleModel.AUTOENCODER || sample == SampleModel.CHARRNN)) {
            throw new IllegalArgumentException("training checkpoints are written for the classifiers only, found"
                    + " --model " + sample.cliName() + " with --checkpoints " + checkpoints);
        }
        if (sample == SampleModel.AUTOENCODER) {
            IdentityProblem.run(epochs);
            return;
        }
        if (sample == SampleModel.CHARRNN) {
            CharRnn.run(epochs);
            return;
        }
        Mnist.Split split;
        Model model;
        Trainer trainer;
        if (sample == SampleModel.DIGITS) {
            split = SampleData.digits(7);
            model = Devices.on(device, DigitsCnnNet.create(1));
            trainer = Trainer.of(model).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32);
        } else {
            split = SampleData.fashionMnist(data);
            model = Devices.on(device, Bench.create(sample.cliName()));
            trainer = Trainer.of(model).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(128);
        }
        System.out.println(model.summary());
        System.out.println("on " + Devices.describe(model));
        trainer.epochs(epochs).seed(42).listener(new ProgressBar());
        if (report != null) {
            trainer.listener(RunReport.of(report, trainer).validation(split.test()));
        }
        if (checkpoints != null) {
            if (TrainingCheckpoint.exists(checkpoints)) {
                System.out.println("resuming from " + TrainingCheckpoint.latest(checkpoints));
                trainer.resumeFrom(checkpoints);
            }
            // last, so that the saved epoch includes what the other listeners decided (a stop)
            trainer.listener(TrainingCheckpoint.in(checkpoints));
        }
        History history = trainer.fit(split.train(), split.test());
        Evaluation test = Evaluation.of(model, split.test(), 1000);
        System.out.printf(Locale.ROOT, "%s: test accuracy %.4f (loss %.4f) after %d epochs%n", model.name(),
                test.accuracy(), test.loss(), history.epochs().size());
        if (report != null) {
            System.out.println("run report: " + report);
        }
    }
}
