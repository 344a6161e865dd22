package dev.lamina.runtime.train;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on the terminal: batches done, samples/s, ETA, running loss; one line per epoch. */
public final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private long started;
    private int epoch;
    private int epochs;
    private long lastDraw;

    /** A bar on standard error. */
    public ProgressBar() {
        this(System.err);
    }

    /**
     * A bar on {@code out}.
     *
     * @param out where the bar is printed
     */
    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.started = System.nanoTime();
        this.lastDraw = 0;
    }

    @Override
    public void batchFinished(int batch, int batches, int samplesSoFar, double loss) {
        long now = System.nanoTime();
        if (batch < batches && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double seconds = (now - started) / 1e9;
        double rate = samplesSoFar / Math.max(seconds, 1e-9);
        double eta = seconds / batch * (batches - batch);
        int filled = (int) ((long) WIDTH * batch / batches);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        out.printf(Locale.ROOT, "\repoch %d/%d [%s] %d/%d  %,.0f samples/s  ETA %s  loss %.4f ", epoch, epochs, bar,
                batch, batches, rate, clock(eta), loss);
        out.flush();
    }

    @Override
    public void epochFinished(EpochRecord r) {
        out.printf(Locale.ROOT, "%n  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f  lr %.4g  %.1fs%n",
                r.trainLoss(), r.trainAccuracy(), r.validationLoss(), r.validationAccuracy(), r.learningRate(),
                r.seconds());
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
