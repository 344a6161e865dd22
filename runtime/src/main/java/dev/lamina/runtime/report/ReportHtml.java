package dev.lamina.runtime.report;

import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.History;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Internal, not API: writes the report's page. Everything is in the one file: plots as data URIs of SVG, pictures
 * as data URIs of PNG, the style inline; no script, no external file. Every string from the caller or the run is
 * escaped.
 */
final class ReportHtml {
    private static final String STYLE = """
            body { font-family: sans-serif; margin: 2em auto; padding: 0 1.5em; max-width: 1100px; color: #222; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 1.6em; }
            table { border-collapse: collapse; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
            th { background: #eef2f7; } td.name { text-align: left; font-weight: bold; background: #f7f7f7; }
            td.text { text-align: left; }
            pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
            img { max-width: 100%; border: 1px solid #ddd; }
            figure { margin: 1em 0; } figcaption { font-size: 0.9em; color: #444; }
            """;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ReportHtml() {
    }

    /**
     * Internal, not API: what one page shows.
     *
     * @param title the page's title
     * @param start when the fit started, or null when not known
     * @param duration the run's wall time so far
     * @param history the epochs so far
     * @param plannedEpochs the epochs the fit was to run
     * @param summary the network's summary
     * @param settings the settings' rows
     * @param hardware the hardware's rows
     * @param curvesSvg the training curves as SVG, or null when no epoch ran
     * @param confusionSvg the validation confusion matrix as SVG, or null when there is none
     * @param pictures the caller's pictures, in order
     */
    record Content(String title, Instant start, Duration duration, History history, int plannedEpochs,
                   String summary, Map<String, String> settings, Map<String, String> hardware, String curvesSvg,
                   String confusionSvg, List<ReportPicture> pictures) {
    }

    /** The whole page. */
    static String page(Content c) {
        StringBuilder s = new StringBuilder(64 * 1024);
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(c.title())).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n")
                .append("<body>\n<h1>").append(escape(c.title())).append("</h1>\n");
        int ran = c.history().epochs().size();
        s.append("<p>Started ").append(c.start() == null ? "at a time not recorded" : TIME.format(c.start()))
                .append("; ").append(ran).append(" of ").append(c.plannedEpochs()).append(" epochs in ")
                .append(duration(c.duration()));
        if (c.history().stoppedEarly()) {
            s.append("; stopped early, best epoch ").append(c.history().bestEpoch());
        }
        s.append(".</p>\n");
        s.append("<h2>History</h2>\n").append(ran == 0 ? "<p>No epoch has finished yet.</p>\n"
                : historyTable(c.history().epochs()));
        if (c.curvesSvg() != null) {
            s.append("<h2>Training curves</h2>\n").append(svgImage(c.curvesSvg(), "training curves"));
        }
        if (c.confusionSvg() != null) {
            s.append("<h2>Confusion matrix (validation set, last epoch)</h2>\n")
                    .append(svgImage(c.confusionSvg(), "confusion matrix"));
        }
        s.append("<h2>Network</h2>\n<pre>").append(escape(c.summary())).append("</pre>\n");
        s.append("<h2>Settings</h2>\n").append(rows(c.settings()));
        s.append("<h2>Hardware</h2>\n").append(rows(c.hardware()));
        for (ReportPicture p : c.pictures()) {
            s.append("<h2>").append(escape(p.title())).append("</h2>\n<figure><img src=\"data:")
                    .append(p.mediaType()).append(";base64,").append(Base64.getEncoder().encodeToString(p.bytes()))
                    .append("\" alt=\"").append(escape(p.title())).append("\"><figcaption>")
                    .append(escape(p.caption())).append("</figcaption></figure>\n");
        }
        return s.append("</body>\n</html>\n").toString();
    }

    /**
     * {@return {@code text} with the five characters HTML gives a meaning escaped, safe in text and in quoted
     * attributes}
     */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(ch);
            }
        }
        return s.toString();
    }

    private static String svgImage(String svg, String alt) {
        return "<img src=\"data:image/svg+xml;base64,"
                + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8)) + "\" alt=\"" + alt
                + "\">\n";
    }

    /** One row per epoch; a column per figure that at least one epoch recorded (a finite value). */
    private static String historyTable(List<EpochRecord> epochs) {
        List<String> names = new ArrayList<>();
        List<ToDoubleFunction<EpochRecord>> values = new ArrayList<>();
        List<String> formats = new ArrayList<>();
        addColumn(names, values, formats, "train loss", EpochRecord::trainLoss, "%.4f");
        addColumn(names, values, formats, "train accuracy", EpochRecord::trainAccuracy, "%.4f");
        addColumn(names, values, formats, "validation loss", EpochRecord::validationLoss, "%.4f");
        addColumn(names, values, formats, "validation accuracy", EpochRecord::validationAccuracy, "%.4f");
        Set<String> metrics = new LinkedHashSet<>();
        epochs.forEach(r -> metrics.addAll(r.metrics().keySet()));
        for (String m : metrics) {
            addColumn(names, values, formats, m.replace('_', ' '), r -> r.metric(m), "%.4f");
        }
        addColumn(names, values, formats, "learning rate", EpochRecord::learningRate, "%.4g");
        addColumn(names, values, formats, "seconds", EpochRecord::seconds, "%.2f");
        addColumn(names, values, formats, "samples / s", EpochRecord::samplesPerSecond, "%.0f");
        List<Integer> shown = new ArrayList<>();
        for (int col = 0; col < names.size(); col++) {
            for (EpochRecord r : epochs) {
                if (Double.isFinite(values.get(col).applyAsDouble(r))) {
                    shown.add(col);
                    break;
                }
            }
        }
        StringBuilder s = new StringBuilder("<table>\n<tr><th>epoch</th>");
        shown.forEach(col -> s.append("<th>").append(escape(names.get(col))).append("</th>"));
        s.append("</tr>\n");
        for (EpochRecord r : epochs) {
            s.append("<tr><td>").append(r.epoch()).append("</td>");
            for (int col : shown) {
                double v = values.get(col).applyAsDouble(r);
                s.append("<td>").append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, formats.get(col), v))
                        .append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append("</table>\n").toString();
    }

    private static void addColumn(List<String> names, List<ToDoubleFunction<EpochRecord>> values,
                                  List<String> formats, String name, ToDoubleFunction<EpochRecord> value,
                                  String format) {
        names.add(name);
        values.add(value);
        formats.add(format);
    }

    private static String rows(Map<String, String> rows) {
        StringBuilder s = new StringBuilder("<table>\n");
        rows.forEach((k, v) -> s.append("<tr><td class=\"name\">").append(escape(k)).append("</td><td class=\"text\">")
                .append(escape(v)).append("</td></tr>\n"));
        return s.append("</table>\n").toString();
    }

    private static String duration(Duration d) {
        long seconds = d.toSeconds();
        return seconds < 60 ? String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)
                : String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
}
