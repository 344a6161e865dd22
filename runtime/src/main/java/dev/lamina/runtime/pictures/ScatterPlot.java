package dev.lamina.runtime.pictures;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A 2-D scatter plot of points coloured by class, with a legend (a PCA or t-SNE of features), drawn with XChart
 * (Apache-2.0) onto an image and written as PNG by {@link Png}, or as SVG by {@link Svg}; XChart's own encoders are
 * not used (their GIF, PDF and SVG libraries are left out of the build: see docs/ARCHITECTURE.md). Points are given as {@code n x 2}
 * values, {@code x} then {@code y} for each point; labels are classes in {@code [0, classes)}.
 */
public final class ScatterPlot {
    /** matplotlib's {@code tab10}, then {@code tab20}'s lighter shades: 20 classes before colours repeat. */
    private static final int[] PALETTE = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
        0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5,
    };

    private final double[] points;
    private final int[] labels;
    private final int classes;
    private String[] classNames;
    private String title = "";
    private String xAxis = "";
    private String yAxis = "";
    private int width = 800;
    private int height = 600;
    private int markerSize = 6;

    private ScatterPlot(double[] points, int[] labels, int classes) {
        this.points = points;
        this.labels = labels;
        this.classes = classes;
        this.classNames = new String[classes];
        for (int k = 0; k < classes; k++) {
            classNames[k] = Integer.toString(k);
        }
    }

    /**
     * {@return a plot of {@code labels.length} points, {@code points} holding {@code x, y} for each}
     *
     * @param points {@code x, y} for each point, one after another
     * @param labels each point's class, at least 0
     * @throws IllegalArgumentException when there are no points, {@code points} does not hold two values per label, a
     *     label is negative or a coordinate is not finite
     */
    public static ScatterPlot of(double[] points, int[] labels) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("expected at least one point, found none");
        }
        if (points.length != 2L * labels.length) {
            throw new IllegalArgumentException("expected 2 x " + labels.length + " = " + 2L * labels.length
                    + " coordinates for " + labels.length + " labels, found " + points.length);
        }
        int classes = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("expected labels of 0 or more, found " + labels[i] + " at point "
                        + i);
            }
            if (!Double.isFinite(points[2 * i]) || !Double.isFinite(points[2 * i + 1])) {
                throw new IllegalArgumentException("expected finite coordinates, found (" + points[2 * i] + ", "
                        + points[2 * i + 1] + ") at point " + i);
            }
            classes = Math.max(classes, labels[i] + 1);
        }
        return new ScatterPlot(points, labels, classes);
    }

    /**
     * The title above the plot (none unless set).
     *
     * @param title the title
     * @return this plot
     */
    public ScatterPlot title(String title) {
        this.title = title;
        return this;
    }

    /**
     * The titles of the x and y axes (none unless set).
     *
     * @param x the x axis's title
     * @param y the y axis's title
     * @return this plot
     */
    public ScatterPlot axes(String x, String y) {
        this.xAxis = x;
        this.yAxis = y;
        return this;
    }

    /**
     * The legend's name of each class, by label (the label's number when not given).
     *
     * @param names the names, by label
     * @return this plot
     */
    public ScatterPlot classNames(String... names) {
        if (names.length < classes) {
            throw new IllegalArgumentException("expected a name for each of the " + classes + " classes, found "
                    + names.length + ": " + Arrays.toString(names));
        }
        this.classNames = names.clone();
        return this;
    }

    /**
     * Picture size in pixels (800 x 600 unless set).
     *
     * @param width width in pixels
     * @param height height in pixels
     * @return this plot
     */
    public ScatterPlot size(int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("expected a picture of at least 100 x 100 pixels, found " + width
                    + " x " + height);
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * Marker diameter in pixels.
     *
     * @param pixels the diameter; positive
     * @return this plot
     */
    public ScatterPlot markerSize(int pixels) {
        if (pixels < 1) {
            throw new IllegalArgumentException("expected a positive marker size, found " + pixels);
        }
        this.markerSize = pixels;
        return this;
    }

    /**
     * Draws the plot: one series per class present, in label order.
     *
     * @return the picture
     */
    public BufferedImage render() {
        XYChart chart = chart();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            chart.paint(g, width, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Draws the plot as SVG text, the same chart as {@link #render}.
     *
     * @return the SVG text
     */
    public String svg() {
        XYChart chart = chart();
        return Svg.draw(width, height, g -> {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            chart.paint(g, width, height);
        });
    }

    /**
     * Draws the plot and writes it as a PNG.
     *
     * @param path the PNG file to write
     * @throws IOException when the file cannot be written
     */
    public void write(Path path) throws IOException {
        Png.write(path, render());
    }

    /**
     * Draws the plot and writes it as SVG.
     *
     * @param path the SVG file to write
     * @throws IOException when the file cannot be written
     */
    public void writeSvg(Path path) throws IOException {
        Svg.write(path, svg());
    }

    /** The chart: one series per class present, in label order. */
    private XYChart chart() {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xAxis)
                .yAxisTitle(yAxis).build();
        XYStyler styler = chart.getStyler();
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        styler.setMarkerSize(markerSize);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setAntiAlias(true);
        for (int k = 0; k < classes; k++) {
            double[][] xy = pointsOf(k);
            if (xy[0].length > 0) {
                XYSeries series = chart.addSeries(classNames[k], xy[0], xy[1]);
                series.setMarker(SeriesMarkers.CIRCLE);
                series.setMarkerColor(new Color(PALETTE[k % PALETTE.length]));
            }
        }
        return chart;
    }

    /** The x and y coordinates of class {@code k}'s points. */
    private double[][] pointsOf(int k) {
        int n = 0;
        for (int label : labels) {
            n += label == k ? 1 : 0;
        }
        double[][] xy = new double[2][n];
        int j = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == k) {
                xy[0][j] = points[2 * i];
                xy[1][j] = points[2 * i + 1];
                j++;
            }
        }
        return xy;
    }
}
