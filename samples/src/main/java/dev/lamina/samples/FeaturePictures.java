package dev.lamina.samples;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.Features;
import dev.lamina.runtime.analysis.Pca;
import dev.lamina.runtime.analysis.Tsne;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.pictures.FeatureMaps;
import dev.lamina.runtime.pictures.Filters;
import dev.lamina.runtime.pictures.ScatterPlot;
import dev.lamina.runtime.report.RunReport;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * What a trained network has learnt, as pictures ({@code features --model digits}): trains {@link DigitsCnn} on the
 * embedded digits, then writes its first-layer filters, the first convolution's feature maps for one held-out
 * digit, and a PCA and a t-SNE of the hidden layer's 64 features for the first 500 training digits, coloured by
 * class.
 */
public final class FeaturePictures {
    /** Digits whose hidden features are plotted: exact t-SNE is O(n^2), and 500 points show the classes. */
    static final int PLOTTED = 500;

    private FeaturePictures() {
    }

    /**
     * Trains for {@code epochs} and writes the four pictures into {@code out}, and the run's report with them,
     * {@code report.html}; returns the pictures' paths.
     */
    public static List<Path> run(Path out, int epochs) throws IOException {
        Mnist.Split split = SampleData.digits(7);
        Model model = DigitsCnnNet.create(1);
        Trainer trainer = Trainer.of(model).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32).epochs(epochs)
                .seed(42);
        RunReport report = RunReport.of(out.resolve("report.html"), trainer).validation(split.test());
        trainer.listener(report).fit(split.train(), split.test());
        System.out.printf(Locale.ROOT, "%s: test accuracy %.4f after %d epochs%n", model.name(),
                Evaluation.of(model, split.test(), 1000).accuracy(), epochs);
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();

        Path filters = out.resolve("filters.png");
        Filters.grid(layer(model, "conv1")).columns(8).zoom(16).gap(2).write(filters);
        written.add(filters);

        Path maps = out.resolve("feature-maps.png");
        int label = featureMaps(model, split.test(), maps);
        written.add(maps);
        System.out.println("feature maps of conv1 for a held-out digit " + label);

        Dataset shown = split.train().slice(0, PLOTTED);
        float[] hidden = Features.of(model, layer(model, "hidden"), shown, 100);
        int dims = layer(model, "hidden").outputShape()[0];
        int[] labels = new int[PLOTTED];
        for (int i = 0; i < PLOTTED; i++) {
            labels[i] = shown.label(i);
        }
        written.add(pca(hidden, dims, labels, out.resolve("pca.png")));
        written.add(tsne(hidden, dims, labels, out.resolve("tsne.png")));
        for (Path p : written) {
            System.out.println("wrote " + p);
        }
        addToReport(report, written);
        System.out.println("wrote " + report.file());
        return written;
    }

    /** Adds the four pictures, read back from their files, to the run's report and writes it. */
    private static void addToReport(RunReport report, List<Path> pictures) throws IOException {
        String[][] captions = {
            {"conv1's filters", "The 16 first-layer 3x3 filters, each on its own grey scale."},
            {"conv1's feature maps", "conv1's 16 outputs for the first held-out digit."},
            {"PCA of the hidden layer", PLOTTED + " training digits projected on the hidden layer's first two"
                    + " principal components, coloured by class."},
            {"t-SNE of the hidden layer", "The same digits embedded by t-SNE (perplexity 30): classes that the"
                    + " hidden layer separates form separate clusters."},
        };
        for (int i = 0; i < pictures.size(); i++) {
            BufferedImage image = ImageIO.read(pictures.get(i).toFile());
            if (image == null) {
                throw new IOException("expected a PNG the JDK can read, found " + pictures.get(i));
            }
            report.addPicture(captions[i][0], captions[i][1], image);
        }
        report.write();
    }

    /**
     * Draws conv1's 16 maps for the first held-out digit. The trained model's pool is fused into conv1's pass, so
     * its weights are loaded, by name, into the unfused twin, whose conv1 keeps its own output.
     */
    private static int featureMaps(Model model, Dataset test, Path file) throws IOException {
        Model twin = DigitsCnnUnfusedNet.create(0);
        Path weights = Files.createTempFile("digits", ".safetensors");
        try {
            Checkpoint.save(model, weights);
            Checkpoint.load(twin, weights);
        } finally {
            Files.deleteIfExists(weights);
        }
        twin.predict(test.slice(0, 1).features(), 1);
        FeatureMaps.grid(layer(twin, "conv1").output(), 0).zoom(8).gap(2).write(file);
        return test.label(0);
    }

    private static Path pca(float[] features, int dims, int[] labels, Path file) throws IOException {
        Pca pca = Pca.fit(features, labels.length, dims, 2);
        double[] ratio = pca.explainedVarianceRatio();
        double[] points = pca.project(features, labels.length);
        System.out.printf(Locale.ROOT, "PCA: %.1f%% and %.1f%% of the variance; nearest-neighbour purity %.3f%n",
                100 * ratio[0], 100 * ratio[1], purity(points, labels));
        ScatterPlot.of(points, labels).title("PCA of DigitsCnn's hidden layer (" + dims + " features), "
                + labels.length + " digits").axes(String.format(Locale.ROOT, "PC1 (%.0f%%)", 100 * ratio[0]),
                String.format(Locale.ROOT, "PC2 (%.0f%%)", 100 * ratio[1])).write(file);
        return file;
    }

    private static Path tsne(float[] features, int dims, int[] labels, Path file) throws IOException {
        double[] points = Tsne.create().perplexity(30).seed(42).embed(features, labels.length, dims);
        System.out.printf(Locale.ROOT, "t-SNE: nearest-neighbour purity %.3f%n", purity(points, labels));
        ScatterPlot.of(points, labels).title("t-SNE of DigitsCnn's hidden layer (" + dims + " features), "
                + labels.length + " digits, perplexity 30").axes("t-SNE 1", "t-SNE 2").write(file);
        return file;
    }

    /** The share of points whose nearest other point in the plane has the same class. */
    static double purity(double[] points, int[] labels) {
        int n = labels.length;
        int same = 0;
        for (int i = 0; i < n; i++) {
            int nearest = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double d = Math.hypot(points[2 * i] - points[2 * j], points[2 * i + 1] - points[2 * j + 1]);
                if (j != i && d < best) {
                    best = d;
                    nearest = j;
                }
            }
            same += labels[nearest] == labels[i] ? 1 : 0;
        }
        return (double) same / n;
    }

    private static Layer layer(Model model, String name) {
        return model.layers().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(model.name() + " has no layer " + name));
    }
}
