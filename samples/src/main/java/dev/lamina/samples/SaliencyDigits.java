package dev.lamina.samples;

import dev.lamina.runtime.Model;
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
 * colours); prints where the saliency lies (on the ink or the background).
 */
final class SaliencyDigits {
    static final int SHOWN = 16;
    static final int COLUMNS = 8;
    static final int ZOOM = 12;
    static final int GAP = 2;

    private SaliencyDigits() {
    }

    /** Trains for {@code epochs} and writes {@code saliency.png} into {@code out}; returns its path. */
    static Path run(Path out, int epochs) throws IOException {
        TrainedDigits digits = TrainedDigits.train(epochs);
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
        return file;
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
