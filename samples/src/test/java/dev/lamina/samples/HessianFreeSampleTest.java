package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.EpochRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code hessian-free} sample on the digits scaled to 28x28 (a folder without Fashion-MNIST): the five
 * optimizers (Hessian-free three ways) train from chance, the plots are written, the command's help names its options; the scaling.
 */
class HessianFreeSampleTest {
    @Test
    void theThreeOptimizersLearnAndThePlotsAreWritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("plots");
        List<HessianFreeComparison.Run> runs = HessianFreeComparison.run(dir.resolve("no-fashion-mnist"), 3, 100,
                out);
        assertEquals(List.of("hf-gauss-newton", "hf-exact", "hf-gn-floor-0.1", "sgd-momentum", "adam"),
                runs.stream().map(HessianFreeComparison.Run::name).toList());
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
        for (String expected : List.of("--epochs", "--batch", "--data", "--out", "--threads", "default: 5",
                "default: 1000", "default: target/hessian-free")) {
            assertTrue(words.contains(expected), expected + ":\n" + out);
        }
    }
}
