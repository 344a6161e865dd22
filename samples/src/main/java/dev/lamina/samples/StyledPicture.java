package dev.lamina.samples;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.StyleTransfer;
import dev.lamina.runtime.pictures.ImageGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code style} command: Gatys style transfer on 32x32 synthetic pictures through {@link StyleNet}'s random
 * filters: the content is a small landscape (sky, sun, a red house, a green hill), the style wavy orange and navy
 * stripes. Content on {@code conv3}, style on all four convolutions; Adam on the pixels from the content image,
 * clipped to [0, 1]. Prints the losses before and after and draws content, style and result side by side.
 */
final class StyledPicture {
    static final int SIZE = 32;
    static final int ZOOM = 8;
    static final int GAP = 4;
    private static final double CONTENT_WEIGHT = 1;
    private static final double STYLE_WEIGHT = 1000;

    private StyledPicture() {
    }

    /** Runs {@code steps} optimisation steps and writes {@code style.png} into {@code out}; returns its path. */
    static Path run(Path out, int steps) throws IOException {
        Model model = StyleNetNet.create(3);
        float[] content = content();
        float[] style = style();
        StyleTransfer transfer = StyleTransfer.of(model).content(layer(model, "conv3"), CONTENT_WEIGHT)
                .steps(steps).learningRate(0.02).range(0, 1);
        for (String name : new String[] {"conv1", "conv2", "conv3", "conv4"}) {
            transfer.style(layer(model, name), STYLE_WEIGHT);
        }
        StyleTransfer.Losses before = transfer.losses(content, content, style);
        float[] result = transfer.run(content, style);
        StyleTransfer.Losses after = transfer.losses(result, content, style);
        print("content image", before);
        print("result after " + steps + " steps", after);
        float[] images = new float[3 * content.length];
        System.arraycopy(content, 0, images, 0, content.length);
        System.arraycopy(style, 0, images, content.length, content.length);
        System.arraycopy(result, 0, images, 2 * content.length, content.length);
        Files.createDirectories(out);
        Path file = out.resolve("style.png");
        ImageGrid.of(images, 3, 3, SIZE, SIZE).columns(3).zoom(ZOOM).gap(GAP).range(0, 1).write(file);
        System.out.println("wrote " + file);
        return file;
    }

    private static void print(String what, StyleTransfer.Losses losses) {
        StringBuilder style = new StringBuilder();
        for (double s : losses.style()) {
            style.append(String.format(Locale.ROOT, " %.3g", s));
        }
        System.out.printf(Locale.ROOT, "%s: content loss %.4g, style losses (conv1..conv4)%s, total %.4g%n", what,
                losses.content(), style, losses.total());
    }

    /** Sky fading from blue to white, a yellow sun, a red house, a green hill in front; channels first. */
    static float[] content() {
        float[] image = new float[3 * SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double t = y / (SIZE - 1.0);
                double[] rgb = {0.3 + 0.6 * t, 0.5 + 0.45 * t, 0.95};
                if (Math.hypot(x - 8, y - 8) < 5) {
                    rgb = new double[] {1, 0.85, 0.1};
                }
                if (x >= 17 && x < 26 && y >= 13 && y < 23) {
                    rgb = new double[] {0.8, 0.15, 0.1};
                }
                if (y > 22 + 3 * Math.sin(x / 5.0)) {
                    rgb = new double[] {0.15, 0.55, 0.2};
                }
                for (int c = 0; c < 3; c++) {
                    image[(c * SIZE + y) * SIZE + x] = (float) rgb[c];
                }
            }
        }
        return image;
    }

    /** Wavy diagonal stripes of orange and navy, four pixels wide; channels first. */
    static float[] style() {
        float[] image = new float[3 * SIZE * SIZE];
        double[] orange = {1, 0.55, 0.05};
        double[] navy = {0.05, 0.1, 0.4};
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double s = 0.5 + 0.5 * Math.sin((x + y) * Math.PI / 4 + 1.5 * Math.sin(y / 3.0));
                for (int c = 0; c < 3; c++) {
                    image[(c * SIZE + y) * SIZE + x] = (float) (s * orange[c] + (1 - s) * navy[c]);
                }
            }
        }
        return image;
    }

    private static Layer layer(Model model, String name) {
        return model.layers().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(model.name() + " has no layer " + name));
    }
}
