package dev.lamina.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.metrics.Metric;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.LearningRateSchedule;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Regularizer;
import dev.lamina.runtime.train.Trainer;
import dev.lamina.runtime.train.TrainingContext;
import dev.lamina.runtime.train.TrainingListener;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 22, item 2: the HTML run report, rewritten each epoch, self-contained, every user string escaped. */
class RunReportTest {
    private static final Pattern DATA_URI = Pattern.compile("src=\"data:(image/[a-z+]+);base64,([A-Za-z0-9+/=]+)\"");

    @TempDir
    Path dir;

    /** A three-epoch fit of {@link EchoClassifier} with a report; the page as each epoch left it. */
    private List<String> fitWithReport(RunReport report, Trainer trainer, Dataset train, Dataset validation) {
        List<String> pages = new ArrayList<>();
        trainer.listener(report).listener(new TrainingListener() {
            @Override
            public void epochFinished(EpochRecord record, TrainingContext context) {
                try {
                    pages.add(Files.readString(report.file()));
                } catch (IOException e) {
                    throw new AssertionError("the report is written by the end of epoch " + record.epoch(), e);
                }
            }
        }).fit(train, validation);
        return pages;
    }

    @Test
    void theReportIsRewrittenEachEpochWithEverySection() throws IOException {
        EchoClassifier model = new EchoClassifier();
        Dataset train = EchoClassifier.samples(24);
        Dataset validation = EchoClassifier.samples(12);
        // evaluation passes of 5: the report's confusion matrix is read in three passes over the 12 samples
        Trainer trainer = Trainer.of(model).optimizer(Optimizer.adam(0.01)).epochs(3).batchSize(8).seed(7)
                .metrics(Metric.f1Macro()).evaluationBatchSize(5);
        RunReport report = RunReport.of(dir.resolve("run/report.html"), trainer).validation(validation);
        List<String> pages = fitWithReport(report, trainer, train, validation);

        assertEquals(3, pages.size());
        for (int e = 1; e <= 3; e++) {
            String page = pages.get(e - 1);
            assertTrue(page.contains(e + " of 3 epochs"), "epoch " + e + "'s page says how far the run is");
            assertEquals(e, count(page, "<tr><td>"), "one history row per finished epoch");
        }
        String last = pages.get(2);
        for (String section : new String[] {"<h2>History</h2>", "<h2>Training curves</h2>",
            "<h2>Confusion matrix (validation set, last epoch)</h2>", "<h2>Network</h2>", "<h2>Settings</h2>",
            "<h2>Hardware</h2>"}) {
            assertTrue(last.contains(section), "the page has " + section);
        }
        for (String column : new String[] {"train loss", "train accuracy", "validation loss", "validation accuracy",
            "train f1 macro", "validation f1 macro", "learning rate", "seconds"}) {
            assertTrue(last.contains("<th>" + column + "</th>"), "the history has a column " + column);
        }
        // every fourth validation sample is given the next class's score: accuracy 9 / 12
        assertTrue(last.contains("<td>0.7500</td>"), "the validation accuracy of the echo is in the table");
        for (String setting : new String[] {"adam", ">0.01<", ">8<", ">3<", ">7<", "f1_macro", "none"}) {
            assertTrue(last.contains(setting), "the settings show " + setting);
        }
        assertTrue(last.contains("cores (available to the JVM)") && last.contains("worker threads"));
        assertTrue(last.contains("trainable parameters"), "the network's summary is shown");
        // the plots are SVG data URIs; no script, nothing fetched
        List<String[]> images = dataUris(last);
        assertEquals(2, images.size(), "curves and confusion matrix");
        for (String[] image : images) {
            assertEquals("image/svg+xml", image[0]);
            assertTrue(new String(Base64.getDecoder().decode(image[1]), StandardCharsets.UTF_8).contains("<svg"));
        }
        // the matrix's counts, row by row: each class's fourth sample scored as the next class
        String confusion = new String(Base64.getDecoder().decode(images.get(1)[1]), StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>();
        Matcher text = Pattern.compile("<text[^>]*>([^<]*)</text").matcher(confusion);
        while (text.find()) {
            texts.add(text.group(1).trim());
        }
        assertEquals(List.of("3", "1", "0", "0", "3", "1", "1", "0", "3"), texts.subList(texts.size() - 9,
                texts.size()), "the counts drawn: " + texts);
        assertFalse(last.contains("<script"), "no script");
        assertFalse(last.matches("(?s).*(src|href)=\"(?!data:).*"), "no reference outside the page");
    }

    @Test
    void everyUserStringIsEscaped() throws IOException {
        EchoClassifier model = new EchoClassifier();
        Trainer trainer = Trainer.of(model).epochs(1).batchSize(4);
        Path file = dir.resolve("escaped.html");
        String hostile = "<script>alert(\"x\")</script> & 'q'";
        RunReport report = RunReport.of(file, trainer).title(hostile);
        fitWithReport(report, trainer, EchoClassifier.samples(8), null);
        report.addPicture(hostile, hostile, new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB)).write();
        String page = Files.readString(file);
        assertFalse(page.contains("<script"), "the title, heading, alt text and caption are escaped");
        assertFalse(page.contains("<b>"), "the model's name in the summary is escaped");
        String escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";
        assertEquals(5, count(page, escaped), "title, heading, picture heading, alt text and caption");
        assertTrue(page.contains("echo &lt;b&gt;&amp;amp;&lt;/b&gt;"), "the model's name as written");
        assertFalse(page.contains("Confusion matrix"), "no validation set, no confusion matrix");
    }

    @Test
    void escapeCoversTheFiveSpecialCharacters() {
        assertEquals("a&lt;b&gt;c&amp;d&quot;e&#39;f", ReportHtml.escape("a<b>c&d\"e'f"));
        assertEquals("plain text: 3.5%", ReportHtml.escape("plain text: 3.5%"));
    }

    @Test
    void addedPicturesAreInlinePngOfTheirSize() throws IOException {
        EchoClassifier model = new EchoClassifier();
        Trainer trainer = Trainer.of(model).epochs(2).batchSize(4);
        History history = trainer.fit(EchoClassifier.samples(8));
        BufferedImage image = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, Color.RED.getRGB());
        Path file = dir.resolve("static.html");
        RunReport.write(file, trainer, history, null);
        String plain = Files.readString(file);
        assertTrue(plain.contains("Started at a time not recorded; 2 of 2 epochs"), "static write: no start time");

        RunReport report = RunReport.of(file, trainer).addPicture("saliency", "what the model looks at", image)
                .addSvgPicture("scatter", "an svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" "
                        + "height=\"1\"/>");
        String page = report.html();
        List<String[]> images = dataUris(page);
        String[] png = images.stream().filter(i -> i[0].equals("image/png")).findFirst().orElseThrow();
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png[1])));
        assertNotNull(back, "the picture decodes as PNG");
        assertEquals(30, back.getWidth());
        assertEquals(20, back.getHeight());
        assertEquals(Color.RED.getRGB(), back.getRGB(3, 4));
        assertTrue(page.indexOf("<h2>saliency</h2>") < page.indexOf("<h2>scatter</h2>"), "in the order added");
        assertTrue(page.contains("<figcaption>what the model looks at</figcaption>"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> report.addSvgPicture("t", "c", "not svg"));
        assertTrue(e.getMessage().contains("expected SVG text"), e.getMessage());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    /** The media type and base64 text of each data URI image. */
    private static List<String[]> dataUris(String page) {
        List<String[]> found = new ArrayList<>();
        Matcher m = DATA_URI.matcher(page);
        while (m.find()) {
            found.add(new String[] {m.group(1), m.group(2)});
        }
        return found;
    }

    @Test
    void settingsDescribeSchedulesAndRegularizers() {
        assertEquals("constant", RunSettings.describe(LearningRateSchedule.constant()));
        assertEquals("stepDecay(every 2, factor 0.5)", RunSettings.describe(LearningRateSchedule.stepDecay(2, 0.5)));
        assertEquals("reduceOnPlateau(factor 0.5, patience 3)",
                RunSettings.describe(LearningRateSchedule.reduceOnPlateau(0.5, 3)));
        assertEquals("l2(1.0E-4)", RunSettings.describe(Regularizer.l2(1e-4)));
        assertEquals("elasticNet(l1 0.001, l2 0.01)", RunSettings.describe(Regularizer.elasticNet(0.001, 0.01)));
    }
}
