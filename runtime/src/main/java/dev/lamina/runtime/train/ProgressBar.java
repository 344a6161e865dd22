package dev.lamina.runtime.train;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress as text, drawn to suit where it goes. On a terminal: a one-line bar redrawn in place with
 * carriage returns (batches done, samples/s, ETA, running loss), fitted to the terminal's width so that it never
 * wraps, and a summary line per epoch. Elsewhere (piped into a file or a CI log, where each carriage return would
 * leave a frame behind): plain lines only, the summary per epoch and, when {@link #every(Duration)} is set, a
 * progress line at most that often.
 *
 * <p>A terminal is assumed when the JVM has a console ({@code System.console() != null}, and from JDK 22 its
 * {@code isTerminal()}) unless {@link #terminal(boolean)} says otherwise; its width is the {@code COLUMNS}
 * environment variable when that holds a number of at least 20 (shells set it but do not always export it), else
 * 80, unless {@link #width(int)} gives one. This is the progress bar's own output: it is written to its stream, not
 * through {@link System.Logger}.
 */
public final class ProgressBar implements TrainingListener {
    /** The narrowest bar drawn; below it the frame's text is cut at the width instead. */
    private static final int MIN_BAR = 10;
    /** The least time between two frames on a terminal: redrawing faster only costs time. */
    private static final long FRAME_NANOS = 100_000_000L;
    private final PrintStream out;
    private final LongSupplier clock;
    private boolean terminal;
    private int width;
    private long everyNanos;
    private long started;
    private int epoch;
    private int epochs;
    private long lastDraw;
    private boolean drawn;

    /** A bar on standard error. */
    public ProgressBar() {
        this(System.err);
    }

    /**
     * A bar on {@code out}; a terminal when the JVM has a console.
     *
     * @param out where the bar is printed
     */
    public ProgressBar(PrintStream out) {
        this(out, System::nanoTime);
    }

    /** A bar on {@code out} that reads the time from {@code clock} (nanoseconds), for tests. */
    ProgressBar(PrintStream out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
        this.terminal = onTerminal();
        this.width = columns(System.getenv("COLUMNS"));
    }

    /**
     * Chooses the mode instead of asking whether the JVM has a console.
     *
     * @param isTerminal true to redraw a bar in place, false for plain lines
     * @return this bar
     */
    public ProgressBar terminal(boolean isTerminal) {
        this.terminal = isTerminal;
        return this;
    }

    /**
     * The terminal's width in columns instead of {@code COLUMNS} or 80; frames stay at least one column narrower.
     *
     * @param columns the width; at least 20
     * @return this bar
     * @throws IllegalArgumentException below 20
     */
    public ProgressBar width(int columns) {
        if (columns < 20) {
            throw new IllegalArgumentException("a progress bar needs at least 20 columns, got " + columns);
        }
        this.width = columns;
        return this;
    }

    /**
     * Off a terminal, also prints a progress line within an epoch at most once per {@code interval} (default: none,
     * one line per epoch only). On a terminal the bar is redrawn anyway and this changes nothing.
     *
     * @param interval the least time between two progress lines; zero for none
     * @return this bar
     * @throws IllegalArgumentException for a negative interval
     */
    public ProgressBar every(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the interval is negative: " + interval);
        }
        this.everyNanos = interval.toNanos();
        return this;
    }

    /** {@return whether frames are redrawn in place (a terminal) rather than printed as lines} */
    public boolean isTerminal() {
        return terminal;
    }

    /** {@return the width frames are fitted to, in columns} */
    public int width() {
        return width;
    }

    /**
     * Whether the JVM's console is a terminal. Before JDK 22 a console exists only when it is one; from JDK 22 one
     * may exist with the streams redirected, and {@code Console.isTerminal()} (looked up by name, since this code is
     * built for 17) tells them apart.
     */
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** The width that {@code COLUMNS} gives: its value when a positive number of at least 20, else 80. */
    static int columns(String env) {
        try {
            int c = env == null ? 80 : Integer.parseInt(env.trim());
            return c >= 20 ? c : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.started = clock.getAsLong();
        this.lastDraw = started;
        this.drawn = false;
    }

    @Override
    public void batchFinished(int batch, int batches, int samplesSoFar, double loss) {
        long now = clock.getAsLong();
        double seconds = (now - started) / 1e9;
        if (terminal) {
            if (batch < batches && drawn && now - lastDraw < FRAME_NANOS) {
                return;
            }
            out.print("\r" + frame(batch, batches, samplesSoFar / Math.max(seconds, 1e-9),
                    seconds / batch * (batches - batch), loss));
        } else {
            if (everyNanos == 0 || batch == batches || now - lastDraw < everyNanos) {
                return;
            }
            out.printf(Locale.ROOT, "epoch %d/%d  batch %d/%d  %,.0f samples/s  ETA %s  loss %.4f%n", epoch, epochs,
                    batch, batches, samplesSoFar / Math.max(seconds, 1e-9),
                    minutesSeconds(seconds / batch * (batches - batch)), loss);
        }
        out.flush();
        lastDraw = now;
        drawn = true;
    }

    /**
     * One frame, exactly {@code width - 1} columns (padded, so a shorter frame covers a longer one before it; one
     * column spare, since some terminals wrap when the last one is written).
     */
    String frame(int batch, int batches, double rate, double eta, double loss) {
        String head = String.format(Locale.ROOT, "epoch %d/%d [", epoch, epochs);
        String tail = String.format(Locale.ROOT, "] %d/%d  %,.0f samples/s  ETA %s  loss %.4f", batch, batches, rate,
                minutesSeconds(eta), loss);
        int columns = width - 1;
        int bar = Math.max(MIN_BAR, columns - head.length() - tail.length());
        int filled = (int) ((long) bar * batch / batches);
        String line = head + "=".repeat(filled) + (filled < bar ? ">" + " ".repeat(bar - filled - 1) : "") + tail;
        return line.length() >= columns ? line.substring(0, columns) : line + " ".repeat(columns - line.length());
    }

    @Override
    public void epochFinished(EpochRecord r) {
        String summary = String.format(Locale.ROOT,
                "  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f  lr %.4g  %.1fs", r.trainLoss(),
                r.trainAccuracy(), r.validationLoss(), r.validationAccuracy(), r.learningRate(), r.seconds());
        if (terminal) {
            // the frame stays on its line; the summary goes under it, cut to the width
            out.print(drawn ? System.lineSeparator() : "");
            out.println(summary.length() < width ? summary : summary.substring(0, width - 1));
        } else {
            out.printf(Locale.ROOT, "epoch %d/%d%s%n", r.epoch(), epochs, summary);
        }
        out.flush();
    }

    private static String minutesSeconds(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
