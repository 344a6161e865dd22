package dev.lamina.runtime.pictures;

import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.History;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training curves of a {@link History}: one chart per recorded figure (loss, accuracy, each metric chosen with
 * {@code Trainer.metrics}), training and validation against the epoch, stacked in one picture, drawn with XChart as
 * {@link ScatterPlot} is. A figure the history never recorded (accuracy of a regression, validation without a
 * validation set) has no chart or no line. {@link #render} draws an image (PNG with {@link #write}), {@link #svg} the
 * same charts as SVG ({@link Svg}).
 */
public final class TrainingCurves {
    /** Each chart's size in pixels. */
    private static final int WIDTH = 640;
    private static final int HEIGHT = 320;
    private static final Color TRAIN = new Color(0x1f77b4);
    private static final Color VALIDATION = new Color(0xff7f0e);

    private TrainingCurves() {
    }

    /**
     * {@return the curves of {@code history}, one chart of {@code 640 x 320} pixels per figure, top to bottom}
     *
     * @param history a history with at least one epoch
     * @throws IllegalArgumentException when the history has no epoch
     */
    public static BufferedImage render(History history) {
        List<XYChart> charts = charts(history);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT * charts.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            paint(g, charts);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * {@return the curves of {@code history} as SVG text, the same charts as {@link #render} draws}
     *
     * @param history a history with at least one epoch
     * @throws IllegalArgumentException when the history has no epoch
     */
    public static String svg(History history) {
        List<XYChart> charts = charts(history);
        return Svg.draw(WIDTH, HEIGHT * charts.size(), g -> paint(g, charts));
    }

    /**
     * Writes {@link #render} of {@code history} to {@code path} as PNG.
     *
     * @param path the PNG file
     * @param history a history with at least one epoch
     * @throws IOException when the file cannot be written
     */
    public static void write(Path path, History history) throws IOException {
        Png.write(path, render(history));
    }

    /**
     * Writes {@link #svg} of {@code history} to {@code path}.
     *
     * @param path the SVG file
     * @param history a history with at least one epoch
     * @throws IOException when the file cannot be written
     */
    public static void writeSvg(Path path, History history) throws IOException {
        Svg.write(path, svg(history));
    }

    /** One chart per figure that has a line, in the order of {@link #figures}. */
    private static List<XYChart> charts(History history) {
        List<EpochRecord> epochs = history.epochs();
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("expected a history of at least one epoch, found none");
        }
        List<XYChart> charts = new ArrayList<>();
        for (Map.Entry<String, List<ToDoubleFunction<EpochRecord>>> figure : figures(epochs).entrySet()) {
            XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(figure.getKey())
                    .xAxisTitle("epoch").yAxisTitle(figure.getKey()).build();
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            addLine(chart, "training", epochs, figure.getValue().get(0), TRAIN);
            addLine(chart, "validation", epochs, figure.getValue().get(1), VALIDATION);
            if (!chart.getSeriesMap().isEmpty()) {
                charts.add(chart);
            }
        }
        return charts;
    }

    /** Paints the charts top to bottom, each {@code HEIGHT} pixels high. */
    private static void paint(Graphics2D g, List<XYChart> charts) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        for (int i = 0; i < charts.size(); i++) {
            Graphics2D part = (Graphics2D) g.create(0, i * HEIGHT, WIDTH, HEIGHT);
            charts.get(i).paint(part, WIDTH, HEIGHT);
            part.dispose();
        }
    }

    /** Each figure's name and how to read its training and its validation value from a record. */
    private static Map<String, List<ToDoubleFunction<EpochRecord>>> figures(List<EpochRecord> epochs) {
        Map<String, List<ToDoubleFunction<EpochRecord>>> figures = new LinkedHashMap<>();
        figures.put("loss", List.of(EpochRecord::trainLoss, EpochRecord::validationLoss));
        figures.put("accuracy", List.of(EpochRecord::trainAccuracy, EpochRecord::validationAccuracy));
        for (String key : epochs.get(epochs.size() - 1).metrics().keySet()) {
            String name = key.replaceFirst("^(train|validation)_", "");
            figures.computeIfAbsent(name, n -> List.of(r -> metric(r, "train_" + n), r -> metric(r, "validation_" + n)));
        }
        return figures;
    }

    private static double metric(EpochRecord record, String key) {
        Double value = record.metrics().get(key);
        return value == null ? Double.NaN : value;
    }

    /** A line of the epochs whose value is finite; none when no epoch has one. */
    private static void addLine(XYChart chart, String name, List<EpochRecord> epochs,
                                ToDoubleFunction<EpochRecord> value, Color colour) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochRecord r : epochs) {
            double v = value.applyAsDouble(r);
            if (Double.isFinite(v)) {
                x.add((double) r.epoch());
                y.add(v);
            }
        }
        if (!x.isEmpty()) {
            XYSeries series = chart.addSeries(name, x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(colour);
            series.setMarkerColor(colour);
        }
    }
}
