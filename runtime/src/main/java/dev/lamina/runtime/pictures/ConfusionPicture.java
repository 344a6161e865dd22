package dev.lamina.runtime.pictures;

import dev.lamina.runtime.metrics.ConfusionMatrix;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A confusion matrix as a heat map: a cell per (actual, predicted) pair, its count written in it, its colour the
 * share of its row (the actual class) on {@link ColourMap#HEAT}, so that a row's recall and where its mistakes go
 * read at a glance whatever the class sizes. Actual classes down the left, predicted along the top. Drawn with
 * Java2D: a grid of labelled cells needs no chart library. {@link #render} draws an image (PNG with {@link #write}),
 * {@link #svg} the same picture as SVG ({@link Svg}).
 */
public final class ConfusionPicture {
    private static final int CELL = 40;
    private static final int MARGIN = 60;

    private ConfusionPicture() {
    }

    /**
     * {@return the heat map of {@code matrix}: {@code 60 + 40 * classes} pixels square}
     *
     * @param matrix the counts
     */
    public static BufferedImage render(ConfusionMatrix matrix) {
        int size = MARGIN + CELL * matrix.classes();
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            paint(g, matrix);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * {@return the heat map of {@code matrix} as SVG text, the same picture as {@link #render} draws}
     *
     * @param matrix the counts
     */
    public static String svg(ConfusionMatrix matrix) {
        int size = MARGIN + CELL * matrix.classes();
        return Svg.draw(size, size, g -> paint(g, matrix));
    }

    /**
     * Writes {@link #svg} of {@code matrix} to {@code path}.
     *
     * @param path the SVG file
     * @param matrix the counts
     * @throws IOException when the file cannot be written
     */
    public static void writeSvg(Path path, ConfusionMatrix matrix) throws IOException {
        Svg.write(path, svg(matrix));
    }

    /**
     * Writes {@link #render} of {@code matrix} to {@code path} as PNG.
     *
     * @param path the PNG file
     * @param matrix the counts
     * @throws IOException when the file cannot be written
     */
    public static void write(Path path, ConfusionMatrix matrix) throws IOException {
        Png.write(path, render(matrix));
    }

    /** Paints the labelled cells on a white square of {@code 60 + 40 * classes} pixels. */
    private static void paint(Graphics2D g, ConfusionMatrix matrix) {
        int k = matrix.classes();
        int size = MARGIN + CELL * k;
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString("predicted", MARGIN, 14);
        g.drawString("actual", 4, MARGIN - 6);
        for (int c = 0; c < k; c++) {
            String label = Integer.toString(c);
            g.setColor(Color.BLACK);
            g.drawString(label, MARGIN + c * CELL + (CELL - fm.stringWidth(label)) / 2, MARGIN - 8);
            g.drawString(label, MARGIN - 8 - fm.stringWidth(label), MARGIN + c * CELL + (CELL + fm.getAscent()) / 2);
        }
        for (int a = 0; a < k; a++) {
            long row = matrix.support(a);
            for (int p = 0; p < k; p++) {
                long count = matrix.count(a, p);
                double share = row == 0 ? 0 : (double) count / row;
                int x = MARGIN + p * CELL;
                int y = MARGIN + a * CELL;
                g.setColor(new Color(ColourMap.HEAT.rgb(share)));
                g.fillRect(x, y, CELL, CELL);
                g.setColor(share > 0.5 ? Color.BLACK : Color.WHITE);
                String text = Long.toString(count);
                g.drawString(text, x + (CELL - fm.stringWidth(text)) / 2, y + (CELL + fm.getAscent()) / 2 - 2);
            }
        }
        g.setColor(Color.GRAY);
        g.drawRect(MARGIN, MARGIN, CELL * k - 1, CELL * k - 1);
    }
}
