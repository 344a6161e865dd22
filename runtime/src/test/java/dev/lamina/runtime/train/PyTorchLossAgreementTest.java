package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The losses written in Java against PyTorch's ({@code MultiMarginLoss}, {@code SmoothL1Loss}, {@code HuberLoss},
 * {@code CrossEntropyLoss} over the positions of an image, a sequence and a vector, the mean squared error), one
 * case per fixture in {@code src/test/resources/pytorch-losses}, written by
 * {@code src/test/python/loss_fixtures.py} (docs/PYTORCH.md: how to regenerate, and the PyTorch expression of each
 * loss). No Python is needed to run it.
 *
 * <p>Tolerances. The value: {@code |lamina - pytorch| <= 1e-12 * max(1, |pytorch|)}. Both compute in float64 on the
 * same float32 outputs and targets; only the order of the sums and the form of the log-sum-exp differ, each
 * rounding about 1e-16 relative, over at most a few hundred terms here. The gradient: {@code max_i |l_i - t_i| <=
 * 1e-6 * max_i |t_i|}, the differential suite's measure ("relative error in float32 terms"): Lamina computes each
 * derivative in double and stores it as float, a rounding of at most {@code 2^-24} (6e-8) of the element, so
 * 1e-6 leaves a margin of about 16, and any wrong factor or branch is far outside it.
 */
class PyTorchLossAgreementTest {
    private static final double VALUE_TOLERANCE = 1e-12;
    private static final double GRADIENT_TOLERANCE = 1e-6;

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".txt"))
                    .map(n -> n.substring(0, n.length() - ".txt".length()))
                    .sorted().toList().stream();
        }
    }

    private static Path directory() throws URISyntaxException {
        return Path.of(PyTorchLossAgreementTest.class.getResource("/pytorch-losses").toURI());
    }

    @Test
    void everyLossHasItsFixtures() throws Exception {
        List<String> names = cases().toList();
        for (String loss : List.of("mean_squared_error", "multi_margin_", "smooth_l1_", "huber_",
                "cross_entropy_positions_image")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(loss)), "no fixture for " + loss + " in " + names);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithPyTorch(String name) throws Exception {
        Map<String, String> f = read(directory().resolve(name + ".txt"));
        LossFunction loss = loss(f.get("loss"), f.get("parameter"));
        int rows = Integer.parseInt(f.get("rows"));
        int[] shape = Stream.of(f.get("shape").split(" ")).mapToInt(Integer::parseInt).toArray();
        double[] outputs = numbers(f.get("outputs"));
        double[] targets = numbers(f.get("targets"));
        double[] expected = numbers(f.get("gradient"));
        OutputBatch batch = new OutputBatch(floats(outputs), floats(targets), rows, shape);
        float[] gradient = new float[outputs.length];
        double value = loss.loss(batch, gradient);

        double pytorch = Double.parseDouble(f.get("value"));
        double valueError = Math.abs(value - pytorch) / Math.max(1, Math.abs(pytorch));
        double scale = 0;
        double worst = 0;
        assertEquals(expected.length, gradient.length, name + ": gradient length");
        for (double t : expected) {
            scale = Math.max(scale, Math.abs(t));
        }
        for (int i = 0; i < gradient.length; i++) {
            worst = Math.max(worst, Math.abs(gradient[i] - expected[i]));
        }
        double gradientError = worst / (scale == 0 ? 1 : scale);
        System.out.println("pytorch-loss " + name + " " + loss + " value error " + valueError + " gradient error "
                + gradientError + " (" + f.get("pytorch") + ")");
        assertTrue(scale > 0, name + ": a fixture whose gradient is all zeros checks nothing");
        assertTrue(valueError <= VALUE_TOLERANCE, name + ": value " + value + ", PyTorch " + pytorch);
        assertTrue(gradientError <= GRADIENT_TOLERANCE, name + ": gradient off by " + worst + " at scale " + scale);
    }

    private static LossFunction loss(String kind, String parameter) {
        double p = parameter == null ? Double.NaN : Double.parseDouble(parameter);
        return switch (kind) {
            case "meanSquaredError" -> LossFunction.meanSquaredError();
            case "multiMargin" -> parameter == null ? LossFunction.multiMargin() : LossFunction.multiMargin(p);
            case "smoothL1" -> LossFunction.smoothL1(p);
            case "huber" -> LossFunction.huber(p);
            case "crossEntropyOverPositions" -> LossFunction.crossEntropyOverPositions();
            default -> throw new IllegalArgumentException("a fixture names loss '" + kind + "', which has no factory");
        };
    }

    /** The fixture's {@code key value...} lines; # starts a comment line. */
    private static Map<String, String> read(Path path) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(path)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            out.put(line.substring(0, space), line.substring(space + 1).trim());
        }
        return out;
    }

    private static double[] numbers(String values) {
        return Stream.of(values.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    /** The fixture's outputs and targets are float32 values written as doubles: the cast is exact. */
    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
            if (f[i] != d[i]) {
                throw new IllegalArgumentException("fixture value " + d[i] + " is not a float32 value");
            }
        }
        return f;
    }
}
