package dev.lamina.processor.generated;

import dev.lamina.processor.nets.ResumeNets_DroppedNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.EarlyStopping;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.LearningRateSchedule;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import dev.lamina.runtime.train.TrainingCheckpoint;
import dev.lamina.runtime.train.TrainingListener;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run the resume tests interrupt: {@link ResumeNets_DroppedNet} trained with Adam, a shuffle each epoch, a
 * reduce-on-plateau schedule (at this rate the validation loss stalls from epoch 2, so it halves the rate in the
 * later epochs: its state matters) and early stopping (state only: its patience is never reached), checkpointed
 * every epoch. Also a program, for the test that kills it: {@code ResumeRun FOLDER EPOCHS PAUSE_EPOCH RESUME OUT}
 * pauses (prints {@code paused} and waits forever) at the second batch of epoch {@code PAUSE_EPOCH} (0: never),
 * resumes from FOLDER first when RESUME is {@code true}, and writes the final parameters and buffers to OUT.
 */
final class ResumeRun {
    static final int BATCH = 16;

    static Dataset train() {
        return Fixtures.gaussianBlobs(160, 11, 1.0, 1.2);
    }

    static Dataset validation() {
        return Fixtures.gaussianBlobs(64, 12, 1.0, 1.2);
    }

    /** The trainer of every run, without its listeners. */
    static Trainer trainer(Model model, int epochs) {
        return Trainer.of(model).optimizer(Optimizer.adam(0.05)).batchSize(BATCH).epochs(epochs).seed(7)
                .schedule(LearningRateSchedule.reduceOnPlateau(0.5, 1))
                .earlyStopping(EarlyStopping.onValidationLoss().patience(1000));
    }

    /** A new network; a resumed run starts from other parameters ({@code initSeed} 99), which the checkpoint replaces. */
    static Model model(long initSeed) {
        return ResumeNets_DroppedNet.create(initSeed);
    }

    /** The parameters, then the buffers (running statistics). */
    static float[] everything(Model m) {
        float[] p = m.parameterArray();
        float[] b = m.buffers().toArray();
        float[] all = java.util.Arrays.copyOf(p, p.length + b.length);
        System.arraycopy(b, 0, all, p.length, b.length);
        return all;
    }

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        int pauseEpoch = Integer.parseInt(args[2]);
        boolean resume = Boolean.parseBoolean(args[3]);
        Path out = Path.of(args[4]);
        Model model = model(resume ? 99 : 1);
        Trainer trainer = trainer(model, epochs).listener(TrainingCheckpoint.in(folder)).listener(new TrainingListener() {
            private int epoch;

            @Override
            public void epochStarted(int e, int of, int batches) {
                epoch = e;
            }

            @Override
            public void batchFinished(int batch, int batches, int samplesSoFar, double loss) {
                if (epoch == pauseEpoch && batch == 2) {
                    System.out.println("paused");
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE); // until the test kills this process
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        if (resume) {
            trainer.resumeFrom(folder);
        }
        History h = trainer.fit(train(), validation());
        try (OutputStream file = Files.newOutputStream(out); DataOutputStream data = new DataOutputStream(file)) {
            float[] all = everything(model);
            data.writeInt(all.length);
            for (float v : all) {
                data.writeInt(Float.floatToRawIntBits(v));
            }
            data.writeInt(h.epochs().size());
            for (var r : h.epochs()) {
                data.writeLong(Double.doubleToRawLongBits(r.validationLoss()));
            }
        }
        System.out.println("done");
    }
}
