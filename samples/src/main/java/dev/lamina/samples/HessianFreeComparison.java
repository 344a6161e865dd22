package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.pictures.Png;
import dev.lamina.runtime.pictures.Svg;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.HessianFree;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The Hessian-free sample: {@link Mlp16} trained from the same initial weights by Hessian-free ({@code
 * Optimizer.hessianFree()}: damping 1, at most 10 CG iterations) on the Gauss-Newton curvature and on the exact
 * Hessian, and on the Gauss-Newton curvature with the damping kept at {@value #MINIMUM_DAMPING} or above (without a
 * floor it falls towards 0 on mini-batches, and the steps fit each batch), SGD with momentum (0.1, 0.9) and Adam
 * (3e-3),
 * with the same epochs, batch size and shuffling; each epoch's training loss, test loss and accuracy and elapsed
 * time printed, and the test loss plotted against wall time and against epochs ({@code loss-vs-time} and {@code
 * loss-vs-epoch}, PNG and SVG).
 */
final class HessianFreeComparison {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 400;
    private static final long SEED = 42;
    /** The damping floor of the third Hessian-free run (of 0.01, 0.1 and 1, the best test loss after 5 epochs). */
    static final double MINIMUM_DAMPING = 0.1;

    private HessianFreeComparison() {
    }

    /** One optimizer's run: its name and history. */
    record Run(String name, History history) {
    }

    /** Trains the five, prints their epochs and writes the plots into {@code out}; returns the runs. */
    static List<Run> run(Path data, int epochs, int batch, Path out) throws IOException {
        if (epochs < 1 || batch < 1) {
            throw new IllegalArgumentException("expected at least 1 epoch and a batch of at least 1, found " + epochs
                    + " epochs and a batch of " + batch);
        }
        Mnist.Split split;
        if (Mnist.isPresent(data)) {
            split = SampleData.fashionMnist(data);
            System.out.println("Fashion-MNIST from " + data);
        } else {
            Mnist.Split digits = SampleData.digits(7);
            split = new Mnist.Split(to28(digits.train()), to28(digits.test()));
            System.out.println("Fashion-MNIST not found in " + data + ": the UCI digits, scaled to 28x28");
        }
        Map<String, Supplier<Optimizer>> optimizers = new LinkedHashMap<>();
        optimizers.put("hf-gauss-newton", Optimizer::hessianFree);
        optimizers.put("hf-exact", () -> Optimizer.hessianFree().curvature(HessianFree.Curvature.EXACT));
        optimizers.put("hf-gn-floor-0.1", () -> Optimizer.hessianFree().minimumDamping(MINIMUM_DAMPING));
        optimizers.put("sgd-momentum", () -> Optimizer.momentum(0.1, 0.9));
        optimizers.put("adam", () -> Optimizer.adam(3e-3));
        System.out.println(split.train().size() + " training, " + split.test().size() + " test images; " + epochs
                + " epochs, batch " + batch);
        List<Run> runs = new ArrayList<>();
        for (Map.Entry<String, Supplier<Optimizer>> o : optimizers.entrySet()) {
            Model model = Mlp16Net.create(SEED);
            History h = Trainer.of(model).optimizer(o.getValue().get()).batchSize(batch).epochs(epochs).seed(SEED)
                    .fit(split.train(), split.test());
            double elapsed = 0;
            for (EpochRecord r : h.epochs()) {
                elapsed += r.seconds();
                System.out.printf("%-15s epoch %d  train loss %.4f acc %.4f  test loss %.4f acc %.4f  %.1f s%n",
                        o.getKey(), r.epoch(), r.trainLoss(), r.trainAccuracy(), r.validationLoss(),
                        r.validationAccuracy(), elapsed);
            }
            runs.add(new Run(o.getKey(), h));
        }
        Files.createDirectories(out);
        XYChart time = chart("test loss against wall time", "seconds", runs, true);
        XYChart epoch = chart("test loss against epochs", "epoch", runs, false);
        write(out.resolve("loss-vs-time"), time);
        write(out.resolve("loss-vs-epoch"), epoch);
        System.out.println("plots in " + out.toAbsolutePath() + " (loss-vs-time, loss-vs-epoch; .png and .svg)");
        return runs;
    }

    /** The digits' 8x8 images scaled to 28x28 by nearest neighbour, so the 784-input MLP takes them. */
    static Dataset to28(Dataset small) {
        float[] in = small.features();
        int n = small.size();
        float[] big = new float[n * 784];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    big[i * 784 + y * 28 + x] = in[i * 64 + (y * 8 / 28) * 8 + x * 8 / 28];
                }
            }
        }
        return new Dataset(big, new int[] {1, 28, 28}, small.targets(), small.targetSize());
    }

    private static XYChart chart(String title, String x, List<Run> runs, boolean againstTime) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x)
                .yAxisTitle("test loss").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        for (Run run : runs) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            double elapsed = 0;
            for (EpochRecord r : run.history().epochs()) {
                elapsed += r.seconds();
                xs.add(againstTime ? elapsed : r.epoch());
                ys.add(r.validationLoss());
            }
            XYSeries series = chart.addSeries(run.name(), xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static void write(Path stem, XYChart chart) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            chart.paint(g, WIDTH, HEIGHT);
        } finally {
            g.dispose();
        }
        Png.write(stem.resolveSibling(stem.getFileName() + ".png"), image);
        Svg.write(stem.resolveSibling(stem.getFileName() + ".svg"), Svg.draw(WIDTH, HEIGHT, s -> {
            s.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            chart.paint(s, WIDTH, HEIGHT);
        }));
    }
}
