package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.Jacobian;
import dev.lamina.runtime.analysis.Saliency;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.pictures.ColourMap;
import dev.lamina.runtime.pictures.ImageGrid;
import dev.lamina.runtime.pictures.Png;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code saliency} command: trains {@link DigitsCnn} and draws {@link #SHOWN} held-out digits above their
 * saliency maps for the predicted class ({@code |d score / d pixel|}, each map scaled to its own maximum, heat
 * colours); prints where the saliency lies (on the ink or the background). Beside it, the whole Jacobian of the
 * first digit: its ten class scores' derivatives with respect to every pixel, one signed map per class.
 */
final class SaliencyDigits {
    static final int SHOWN = 16;
    static final int COLUMNS = 8;
    static final int ZOOM = 12;
    static final int GAP = 2;

    private SaliencyDigits() {
    }

    /**
     * Trains for {@code epochs} and writes {@code saliency.png} and {@code jacobian.png} into {@code out}, and the
     * run's report with both pictures, {@code report.html}; returns the saliency picture's path.
     */
    static Path run(Path out, int epochs) throws IOException {
        TrainedDigits digits = TrainedDigits.train(epochs, out.resolve("report.html"));
        Model model = digits.model();
        Dataset shown = digits.data().test().slice(0, SHOWN);
        float[] x = shown.features();
        float[] maps = Saliency.ofPredicted(model, x, SHOWN);
        System.out.printf(Locale.ROOT, "share of saliency on inked pixels (> 0.25), which cover %.1f%% of the"
                + " image: %.1f%%%n", 100 * inkShare(x, null), 100 * inkShare(x, maps));
        BufferedImage top = ImageGrid.of(x, SHOWN, 1, 8, 8).columns(COLUMNS).zoom(ZOOM).gap(GAP).range(0, 1)
                .render();
        BufferedImage bottom = ImageGrid.of(maps, SHOWN, 1, 8, 8).columns(COLUMNS).zoom(ZOOM).gap(GAP)
                .colours(ColourMap.HEAT).render();
        BufferedImage both = new BufferedImage(top.getWidth(), top.getHeight() + bottom.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(top, 0, 0, null);
        g.drawImage(bottom, 0, top.getHeight(), null);
        g.dispose();
        Files.createDirectories(out);
        Path file = out.resolve("saliency.png");
        Png.write(file, both);
        System.out.println("wrote " + file);
        BufferedImage jacobian = writeJacobian(model, x, out);
        digits.report().addPicture("Saliency", SHOWN + " held-out digits (top) above |d score / d pixel| of their"
                + " predicted class (bottom), each map scaled to its own maximum.", both)
                .addPicture("Jacobian of the first digit", "The digit, then d score_k / d pixel for k = 0..9 on one"
                        + " grey scale symmetric about zero (mid grey 0).", jacobian).write();
        System.out.println("wrote " + digits.report().file());
        return file;
    }

    /**
     * {@code jacobian.png}: the first digit, then d score_k / d pixel for k = 0..9 on one grey scale symmetric
     * about zero (mid grey 0, white the largest positive derivative, black its negative); prints each class's
     * largest |derivative|; returns the picture.
     */
    private static BufferedImage writeJacobian(Model model, float[] x, Path out) throws IOException {
        float[] digit = java.util.Arrays.copyOf(x, 64);
        float[] jacobian = Jacobian.of(model, digit, 1);
        float largest = 0;
        StringBuilder perClass = new StringBuilder();
        for (int k = 0; k < 10; k++) {
            float classLargest = 0;
            for (int i = 0; i < 64; i++) {
                classLargest = Math.max(classLargest, Math.abs(jacobian[k * 64 + i]));
            }
            largest = Math.max(largest, classLargest);
            perClass.append(String.format(Locale.ROOT, " %d: %.3f", k, classLargest));
        }
        System.out.println("Jacobian of the first digit, largest |d score / d pixel| per class:" + perClass);
        BufferedImage image = ImageGrid.of(digit, 1, 1, 8, 8).zoom(ZOOM).gap(GAP).range(0, 1).render();
        BufferedImage maps = ImageGrid.of(jacobian, 10, 1, 8, 8).columns(10).zoom(ZOOM).gap(GAP)
                .range(-largest, largest).render();
        BufferedImage row = new BufferedImage(image.getWidth() + maps.getWidth(), maps.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = row.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.drawImage(maps, image.getWidth(), 0, null);
        g.dispose();
        Path file = out.resolve("jacobian.png");
        Png.write(file, row);
        System.out.println("wrote " + file);
        return row;
    }

    /** The share of the saliency (or, with none, of the pixels) that lies on pixels brighter than 0.25. */
    static double inkShare(float[] x, float[] saliency) {
        double ink = 0;
        double all = 0;
        for (int i = 0; i < x.length; i++) {
            double weight = saliency == null ? 1 : saliency[i];
            all += weight;
            ink += x[i] > 0.25f ? weight : 0;
        }
        return ink / all;
    }
}
