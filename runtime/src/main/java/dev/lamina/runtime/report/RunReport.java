package dev.lamina.runtime.report;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.io.AtomicFiles;
import dev.lamina.runtime.metrics.ConfusionMatrix;
import dev.lamina.runtime.metrics.Predictions;
import dev.lamina.runtime.pictures.ConfusionPicture;
import dev.lamina.runtime.pictures.TrainingCurves;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Trainer;
import dev.lamina.runtime.train.TrainingContext;
import dev.lamina.runtime.train.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The HTML report of one training run: a single self-contained page (plots and pictures inline, no script, no
 * server) with the history table, the training curves, the confusion matrix on the validation set, the network's
 * {@link Model#summary() summary}, the trainer's settings, the hardware, the start time and the duration, and the
 * pictures the caller adds ({@link #addPicture}: saliency maps, filters, a t-SNE scatter plot).
 *
 * <p>As a {@link TrainingListener} it rewrites the page atomically at the end of every epoch, so a run that crashes
 * leaves the report of its last finished epoch:
 * <pre>{@code
 * RunReport report = RunReport.of(Path.of("run/report.html"), trainer).validation(test);
 * trainer.listener(report).fit(train, test);
 * report.addPicture("saliency", "input gradients of ten digits", saliency).write();
 * }</pre>
 * {@link #write(Path, Trainer, History, Dataset)} writes one page for a history at hand.
 */
public final class RunReport implements TrainingListener {
    private static final System.Logger LOG = System.getLogger(RunReport.class.getName());

    private final Path file;
    private final Trainer trainer;
    private String title;
    private Dataset validation;
    private final List<ReportPicture> pictures = new ArrayList<>();
    /** The fit's history, or the one given to the static write; empty until training starts. */
    private History history = new History();
    private Instant start;
    /** The settings as the fit started (a schedule changes the optimizer's learning rate as it goes). */
    private Map<String, String> settings;

    private RunReport(Path file, Trainer trainer) {
        this.file = file;
        this.trainer = trainer;
        this.title = "Training run of " + trainer.model().name();
    }

    /**
     * {@return a report of {@code trainer}'s run, written to {@code file}} Add it to the trainer with
     * {@link Trainer#listener} to have it rewritten at each epoch's end.
     *
     * @param file the HTML file
     * @param trainer the trainer whose model, settings and history the report shows
     */
    public static RunReport of(Path file, Trainer trainer) {
        return new RunReport(file, trainer);
    }

    /**
     * Writes the report of a finished run at once: the start time is not known then, the duration is the sum of the
     * epochs' times.
     *
     * @param file the HTML file
     * @param trainer the trainer that ran
     * @param history its history
     * @param validation the validation set for the confusion matrix, or null for none
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, Trainer trainer, History history, Dataset validation) throws IOException {
        RunReport report = new RunReport(file, trainer);
        report.history = history;
        report.validation = validation;
        report.write();
    }

    /**
     * The page's title (by default "Training run of" and the model's name).
     *
     * @param text the title
     * @return this report
     */
    public RunReport title(String text) {
        this.title = text;
        return this;
    }

    /**
     * The set whose confusion matrix the report shows, computed with the model after each epoch: pass the
     * validation set given to {@code fit}. Without one, or for a model that does not classify, the report has none.
     *
     * @param set the validation set, or null for none
     * @return this report
     */
    public RunReport validation(Dataset set) {
        this.validation = set;
        return this;
    }

    /**
     * Adds a picture, encoded as PNG now, shown under the other sections in the order added; the next write shows
     * it.
     *
     * @param title the heading above it
     * @param caption a sentence under it saying what it shows
     * @param image the picture
     * @return this report
     */
    public RunReport addPicture(String title, String caption, BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalArgumentException("expected an image the JDK can write as PNG, found type "
                        + image.getType());
            }
        } catch (IOException e) {
            throw new IllegalStateException("encoding PNG in memory failed", e);
        }
        pictures.add(new ReportPicture(title, caption, "image/png", png.toByteArray()));
        return this;
    }

    /**
     * Adds a picture given as SVG text (a plot's {@code svg()}), shown as {@link #addPicture} shows images.
     *
     * @param title the heading above it
     * @param caption a sentence under it saying what it shows
     * @param svg the SVG text
     * @return this report
     * @throws IllegalArgumentException when the text has no {@code <svg} element
     */
    public RunReport addSvgPicture(String title, String caption, String svg) {
        if (!svg.contains("<svg")) {
            throw new IllegalArgumentException("expected SVG text with an <svg> element, found "
                    + svg.substring(0, Math.min(60, svg.length())));
        }
        pictures.add(new ReportPicture(title, caption, "image/svg+xml", svg.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** {@return the HTML file this report writes} */
    public Path file() {
        return file;
    }

    /**
     * Writes the page as it stands, atomically ({@link AtomicFiles}), creating its folder when missing.
     *
     * @throws IOException when the file cannot be written
     */
    public void write() throws IOException {
        AtomicFiles.writeString(file, html());
    }

    /** {@return the page as it stands} */
    public String html() {
        Model model = trainer.model();
        List<EpochRecord> epochs = history.epochs();
        Duration duration = start != null ? Duration.between(start, Instant.now())
                : Duration.ofMillis(Math.round(1000 * epochs.stream().mapToDouble(EpochRecord::seconds).sum()));
        ConfusionMatrix confusion = epochs.isEmpty() ? null : confusion(model);
        return ReportHtml.page(new ReportHtml.Content(title, start, duration, history, trainer.epochs(),
                model.summary(), settings != null ? settings : RunSettings.of(trainer), Hardware.describe(),
                epochs.isEmpty() ? null : TrainingCurves.svg(history),
                confusion == null ? null : ConfusionPicture.svg(confusion), List.copyOf(pictures)));
    }

    /** Keeps the fit's history and the settings it starts with, and writes the page before the first epoch. */
    @Override
    public void trainingStarted(TrainingContext context) {
        start = Instant.now();
        history = context.history();
        settings = RunSettings.of(trainer);
        writeOrWarn();
    }

    /** Rewrites the page with the epoch just finished. */
    @Override
    public void epochFinished(EpochRecord record, TrainingContext context) {
        history = context.history();
        writeOrWarn();
    }

    /** A report that cannot be written must not end the training it reports on: the failure is logged. */
    private void writeOrWarn() {
        try {
            write();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not write the run report " + file + ": " + e, e);
        }
    }

    /**
     * The model's confusion matrix on the validation set; null without one or when the model does not classify. The
     * scores are those of the trainer's validation pass, computed again: the trainer does not hand them out.
     */
    private ConfusionMatrix confusion(Model model) {
        if (validation == null) {
            return null;
        }
        // in passes of the trainer's evaluation size, as its own validation pass: one pass over a whole large set
        // would grow the model's activation memory to the set's size
        int n = validation.size();
        int batch = trainer.evaluationBatchSize();
        int outputs = model.outputSize();
        float[] scores = new float[n * outputs];
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            float[] part = model.predict(validation.slice(from, to).features(), to - from);
            System.arraycopy(part, 0, scores, from * outputs, part.length);
        }
        try {
            return Predictions.of(model.lossKind(), model.state().outputSteps(), scores, validation.targets(), n)
                    .confusion();
        } catch (IllegalStateException regression) {
            // the outputs are values, not class scores: there is no matrix to draw
            return null;
        }
    }
}
