package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.train.EpochRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code hessian-free} sample on the digits scaled to 28x28: the damping floor chosen on the training set's last
 * sixth (never the test set) by the lowest validation loss, the five optimizers (Hessian-free three ways) train from
 * chance, the plots are written; the choice's rule on scripted losses; the command's options; the scaling.
 */
class HessianFreeSampleTest {
    @Test
    void theFloorIsChosenOnTheTrainingSetAloneThenTheFiveLearnAndThePlotsAreWritten(@TempDir Path dir)
            throws Exception {
        Mnist.Split digits = SampleData.digits(7);
        Mnist.Split split = new Mnist.Split(HessianFreeComparison.to28(digits.train()),
                HessianFreeComparison.to28(digits.test()));
        HessianFreeComparison.FloorTrial real = HessianFreeComparison.hessianFreeTrial(3, 100);
        List<Dataset[]> given = new ArrayList<>();
        Map<Double, Double> losses = new LinkedHashMap<>();
        HessianFreeComparison.FloorTrial recording = (train, validation, floor) -> {
            given.add(new Dataset[] {train, validation});
            double loss = real.validationLoss(train, validation, floor);
            losses.put(floor, loss);
            return loss;
        };
        Path out = dir.resolve("plots");
        List<HessianFreeComparison.Run> runs = HessianFreeComparison.compare(split, 3, 100, out, recording);

        // the selection saw the training set's first five sixths and its last sixth, never the test set
        Dataset training = split.train();
        int cut = training.size() - training.size() / 6;
        assertEquals(3, given.size());
        for (Dataset[] sets : given) {
            assertSameRows(training, 0, cut, sets[0]);
            assertSameRows(training, cut, training.size(), sets[1]);
        }
        assertEquals(List.of(0.01, 0.1, 1.0), List.copyOf(losses.keySet()));
        double lowest = Collections.min(losses.values());
        double chosen = losses.entrySet().stream().filter(e -> e.getValue() == lowest).mapToDouble(Map.Entry::getKey)
                .max().orElseThrow();
        assertEquals(List.of("hf-gauss-newton", "hf-exact", "hf-gn-floor-" + HessianFreeComparison.label(chosen),
                "sgd-momentum", "adam"), runs.stream().map(HessianFreeComparison.Run::name).toList());
        for (double loss : losses.values()) {
            assertTrue(loss < Math.log(10) * 0.8, "validation loss " + loss + " in " + losses);
        }
        for (HessianFreeComparison.Run run : runs) {
            List<EpochRecord> epochs = run.history().epochs();
            assertEquals(3, epochs.size(), run.name());
            // below the loss of a uniform guess over 10 classes, ln 10
            double last = epochs.get(2).validationLoss();
            assertTrue(last < Math.log(10) * 0.8, run.name() + ": test loss " + last);
        }
        for (String name : List.of("loss-vs-time.png", "loss-vs-time.svg", "loss-vs-epoch.png", "loss-vs-epoch.svg")) {
            assertTrue(Files.size(out.resolve(name)) > 1000, name);
        }
        String svg = Files.readString(out.resolve("loss-vs-epoch.svg"));
        assertTrue(svg.startsWith("<?xml") || svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));
    }

    private static void assertSameRows(Dataset all, int from, int to, Dataset part) {
        int f = all.featureSize();
        int t = all.targetSize();
        assertArrayEquals(Arrays.copyOfRange(all.features(), from * f, to * f), part.features());
        assertArrayEquals(Arrays.copyOfRange(all.targets(), from * t, to * t), part.targets());
    }

    @Test
    void theLowestValidationLossWinsATieGoesToTheLargerFloorAndNaNNeverWins() {
        float[] pixels = new float[13 * 4];
        float[] targets = new float[13 * 2];
        for (int i = 0; i < 13; i++) {
            pixels[i * 4] = i;
            targets[i * 2 + i % 2] = 1;
        }
        Dataset training = new Dataset(pixels, new int[] {1, 2, 2}, targets, 2);
        assertEquals(0.1, chosen(training, 0.9, 0.5, 0.7));
        assertEquals(0.01, chosen(training, 0.3, 0.5, 0.7));
        assertEquals(1.0, chosen(training, 0.9, 0.8, 0.2));
        assertEquals(1.0, chosen(training, 0.6, 0.5, 0.5));
        assertEquals(0.1, chosen(training, 0.5, 0.5, 0.7));
        assertEquals(1.0, chosen(training, 0.4, 0.4, 0.4));
        assertEquals(0.01, chosen(training, 0.4, Double.NaN, Double.NaN));
        assertEquals(1.0, chosen(training, Double.NaN, 0.9, 0.8));
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> chosen(training, Double.NaN, Double.NaN, Double.NaN));
        assertTrue(none.getMessage().contains("NaN"), none.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> HessianFreeComparison.chooseFloor(training.slice(0, 5), (a, b, floor) -> 0.5));
        assertTrue(small.getMessage().contains("found 5"), small.getMessage());
    }

    /** The floor chosen when the trial reports {@code script[i]} for the i-th candidate; checks the split's sizes. */
    private static double chosen(Dataset training, double... script) {
        List<Double> asked = new ArrayList<>();
        HessianFreeComparison.FloorTrial scripted = (train, validation, floor) -> {
            assertEquals(11, train.size());
            assertEquals(2, validation.size());
            asked.add(floor);
            return script[asked.size() - 1];
        };
        HessianFreeComparison.FloorChoice choice = HessianFreeComparison.chooseFloor(training, scripted);
        assertEquals(List.of(0.01, 0.1, 1.0), asked);
        assertArrayEquals(script, choice.validationLosses());
        return choice.floor();
    }

    @Test
    void theDigitsAreScaledTo28By28ByNearestNeighbour() {
        float[] pixels = new float[64];
        for (int i = 0; i < 64; i++) {
            pixels[i] = i;
        }
        float[] target = new float[10];
        target[3] = 1;
        Dataset big = HessianFreeComparison.to28(new Dataset(pixels, new int[] {1, 8, 8}, target, 10));
        assertEquals(784, big.features().length);
        assertEquals(0, big.features()[0]);
        assertEquals(63, big.features()[783]);
        assertEquals(8 * 4 + 2, big.features()[14 * 28 + 7]); // row 14 * 8 / 28 = 4, column 7 * 8 / 28 = 2
        assertEquals(1, big.targets()[3]);
    }

    @Test
    void helpNamesTheOptionsAndDefaults() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "hessian-free", "--help");
        assertEquals(0, code, err.toString());
        String words = out.toString().replaceAll("\\s+", " ");
        for (String expected : List.of("--epochs", "--batch", "--data", "--out", "--threads", "--[no-]choose-floor",
                "default: 5", "default: 1000", "default: target/hessian-free", "default: true",
                "--no-choose-floor saves those three runs and takes " + HessianFreeComparison.MINIMUM_DAMPING)) {
            assertTrue(words.contains(expected), expected + ":\n" + out);
        }
    }

    @Test
    void theFloorIsChosenUnlessNoChooseFloorIsGiven() {
        assertEquals(true, chooseFloor());
        assertEquals(true, chooseFloor("--choose-floor"));
        assertEquals(false, chooseFloor("--no-choose-floor"));
    }

    private static Object chooseFloor(String... args) {
        CommandLine line = new CommandLine(new HessianFreeCommand());
        line.parseArgs(args);
        return line.getCommandSpec().findOption("--choose-floor").getValue();
    }
}
