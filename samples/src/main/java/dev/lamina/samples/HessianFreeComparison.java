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
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The Hessian-free sample: {@link Mlp16} trained from the same initial weights by Hessian-free ({@code
 * Optimizer.hessianFree()}: damping 1, at most 10 CG iterations) on the Gauss-Newton curvature and on the exact
 * Hessian, and on the Gauss-Newton curvature with a damping floor (without a floor the damping falls towards 0 on
 * mini-batches, and the steps fit each batch), SGD with momentum (0.1, 0.9) and Adam (3e-3), with the same epochs,
 * batch size and shuffling; each epoch's training loss, test loss and accuracy and elapsed time printed, and the test
 * loss plotted against wall time and against epochs ({@code loss-vs-time} and {@code loss-vs-epoch}, PNG and SVG).
 *
 * <p>The floor is chosen without the test set, by default on every run ({@code --choose-floor}; the command's
 * {@code --no-choose-floor} takes {@link #MINIMUM_DAMPING} instead): the last sixth of the training set is held out
 * (Fashion-MNIST's last 10,000 of 60,000), Gauss-Newton Hessian-free is trained with each of {@link
 * #FLOOR_CANDIDATES} on the rest for the sample's epochs, and the floor with the lowest loss on the held-out part wins
 * (ties: the larger floor). Then all five train on the whole training set and are measured on the test set. The
 * selection is on by default because a floor chosen on one data set need not suit the other (the digits when
 * Fashion-MNIST is absent), at the cost of three more Hessian-free runs on five sixths of the data, which about
 * doubles the sample's time.
 */
final class HessianFreeComparison {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 400;
    private static final long SEED = 42;
    /**
     * The damping floor of the third Hessian-free run without the selection ({@code --no-choose-floor}): the floor the
     * selection ({@code --choose-floor}) chose on Fashion-MNIST, 5 epochs, batch 1000, by the validation losses
     * 0.454 (floor 0.01), 0.378 (0.1) and 0.384 (1) on the training set's last 10,000; the test set was not read.
     */
    static final double MINIMUM_DAMPING = 0.1;
    /** The damping floors the selection tries, smallest first. */
    static final double[] FLOOR_CANDIDATES = {0.01, 0.1, 1};

    private HessianFreeComparison() {
    }

    /** One optimizer's run: its name and history. */
    record Run(String name, History history) {
    }

    /** Trains Hessian-free on the Gauss-Newton curvature with one damping floor; returns its loss on a held-out set. */
    @FunctionalInterface
    interface FloorTrial {
        /** {@return the loss on {@code validation} after training on {@code train} with damping floor {@code floor}} */
        double validationLoss(Dataset train, Dataset validation, double floor);
    }

    /** The selection's outcome: each of {@link #FLOOR_CANDIDATES}' validation loss, in that order; the floor chosen. */
    record FloorChoice(double[] validationLosses, double floor) {
    }

    /**
     * Loads the data (the digits scaled to 28x28 when {@code data} holds no Fashion-MNIST), chooses the damping floor
     * on a validation split when {@code chooseFloor} (else takes {@link #MINIMUM_DAMPING}), trains the five, prints
     * their epochs and writes the plots into {@code out}; returns the runs.
     */
    static List<Run> run(Path data, int epochs, int batch, Path out, boolean chooseFloor) throws IOException {
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
        return compare(split, epochs, batch, out, chooseFloor ? hessianFreeTrial(epochs, batch) : null);
    }

    /**
     * Chooses the floor through {@code trial} on the training set alone (none when {@code trial} is null: {@link
     * #MINIMUM_DAMPING}), then trains the five on {@code split}'s training set, measures them on its test set, prints
     * their epochs and writes the plots into {@code out}; returns the runs.
     */
    static List<Run> compare(Mnist.Split split, int epochs, int batch, Path out, FloorTrial trial)
            throws IOException {
        double floor = trial == null ? MINIMUM_DAMPING : chooseFloor(split.train(), trial).floor();
        Map<String, Supplier<Optimizer>> optimizers = new LinkedHashMap<>();
        optimizers.put("hf-gauss-newton", Optimizer::hessianFree);
        optimizers.put("hf-exact", () -> Optimizer.hessianFree().curvature(HessianFree.Curvature.EXACT));
        optimizers.put("hf-gn-floor-" + label(floor), () -> Optimizer.hessianFree().minimumDamping(floor));
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

    /**
     * Holds out the last sixth of {@code training}, has {@code trial} train with each of {@link #FLOOR_CANDIDATES} on
     * the rest and measure the held-out part, prints the losses and returns them with the floor of the lowest (ties:
     * the larger floor; a NaN loss never wins).
     */
    static FloorChoice chooseFloor(Dataset training, FloorTrial trial) {
        int n = training.size();
        int held = n / 6;
        if (held < 1) {
            throw new IllegalArgumentException("expected at least 6 training samples to hold a sixth out for choosing"
                    + " the damping floor, found " + n);
        }
        Dataset rest = training.slice(0, n - held);
        Dataset validation = training.slice(n - held, n);
        System.out.println("choosing the damping floor among " + labels(FLOOR_CANDIDATES) + ": trained on the first "
                + rest.size() + " training samples, measured on the last " + held + " (the test set is not read)");
        double[] losses = new double[FLOOR_CANDIDATES.length];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = trial.validationLoss(rest, validation, FLOOR_CANDIDATES[i]);
        }
        double floor = lowest(FLOOR_CANDIDATES, losses);
        StringBuilder line = new StringBuilder("validation loss by floor:");
        for (int i = 0; i < losses.length; i++) {
            line.append(String.format("%s %s: %.4f", i == 0 ? "" : ",", label(FLOOR_CANDIDATES[i]), losses[i]));
        }
        System.out.println(line + "; chosen: " + label(floor));
        return new FloorChoice(losses, floor);
    }

    /** {@return the candidate of the lowest loss, the larger on a tie; NaN losses never win} */
    static double lowest(double[] candidates, double[] losses) {
        int best = -1;
        for (int i = 0; i < candidates.length; i++) {
            // <= lets a later (larger) floor win a tie
            if (!Double.isNaN(losses[i]) && (best < 0 || losses[i] <= losses[best])) {
                best = i;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("every damping floor candidate " + labels(candidates)
                    + " gave a NaN validation loss");
        }
        return candidates[best];
    }

    /** The real trial: {@link Mlp16} from the sample's seed, Gauss-Newton Hessian-free with the floor. */
    static FloorTrial hessianFreeTrial(int epochs, int batch) {
        return (train, validation, floor) -> {
            History h = Trainer.of(Mlp16Net.create(SEED)).optimizer(Optimizer.hessianFree().minimumDamping(floor))
                    .batchSize(batch).epochs(epochs).seed(SEED).fit(train, validation);
            EpochRecord last = h.epochs().get(h.epochs().size() - 1);
            double seconds = h.epochs().stream().mapToDouble(EpochRecord::seconds).sum();
            System.out.printf("floor %-5s epoch %d  train loss %.4f  validation loss %.4f acc %.4f  %.1f s%n",
                    label(floor), last.epoch(), last.trainLoss(), last.validationLoss(), last.validationAccuracy(),
                    seconds);
            return last.validationLoss();
        };
    }

    /** {@return a floor as the run's name shows it: 0.01, 0.1, 1} */
    static String label(double floor) {
        return BigDecimal.valueOf(floor).stripTrailingZeros().toPlainString();
    }

    private static String labels(double[] floors) {
        return Arrays.stream(floors).mapToObj(HessianFreeComparison::label).collect(Collectors.joining(", "));
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
