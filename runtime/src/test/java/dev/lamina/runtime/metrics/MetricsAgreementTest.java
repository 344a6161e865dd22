package dev.lamina.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Loss;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The metrics against scikit-learn 1.2's values on the fixtures written by
 * {@code runtime/src/test/python/metric_fixtures.py}: ties in scores, a class never predicted, a class never present,
 * binary outputs of both kinds, regressions with a constant target. Figures agree to 1e-12 relative (1e-12 absolute
 * below 1); the confusion matrices exactly.
 */
class MetricsAgreementTest {
    private static final double RELATIVE = 1e-12;

    /** A fixture: its lines' first word to the rest. */
    private static Map<String, String> fixture(String name) throws IOException {
        try (InputStream in = MetricsAgreementTest.class.getResourceAsStream("/metrics/" + name + ".txt")) {
            assertTrue(in != null, "fixture " + name + " is missing; run metric_fixtures.py");
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    int space = line.indexOf(' ');
                    m.put(line.substring(0, space), line.substring(space + 1));
                }
            }
            return m;
        }
    }

    private static float[] floats(String s) {
        String[] parts = s.trim().split(" ");
        float[] f = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            f[i] = Float.parseFloat(parts[i]);
        }
        return f;
    }

    private static Predictions predictions(Map<String, String> f) {
        return Predictions.of(Loss.valueOf(f.get("loss")), 1, floats(f.get("scores")), floats(f.get("targets")),
                Integer.parseInt(f.get("rows")));
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, RELATIVE * Math.max(1, Math.abs(expected)), what);
    }

    /** Every figure of a fixture, by the metric of that name, and the confusion matrix when it has one. */
    @ParameterizedTest
    @ValueSource(strings = {"softmax_ties", "softmax_absent_and_never_predicted", "softmax_binary", "sigmoid_binary",
            "regression_two_outputs", "regression_constant_target", "regression_constant_exact"})
    void agreesWithScikitLearn(String name) throws IOException {
        Map<String, String> f = fixture(name);
        Predictions p = predictions(f);
        Map<String, Metric> metrics = new LinkedHashMap<>();
        for (Metric m : List.of(Metric.precisionMacro(), Metric.recallMacro(), Metric.f1Macro(),
                Metric.precisionWeighted(), Metric.recallWeighted(), Metric.f1Weighted(), Metric.topKAccuracy(1),
                Metric.topKAccuracy(2), Metric.topKAccuracy(3), Metric.rocAuc(), Metric.rmse(), Metric.mae(),
                Metric.r2())) {
            metrics.put(m.name(), m);
        }
        int compared = 0;
        for (Map.Entry<String, String> e : f.entrySet()) {
            Metric m = metrics.get(e.getKey());
            if (m != null) {
                close(Double.parseDouble(e.getValue()), m.of(p), name + " " + e.getKey());
                compared++;
            }
        }
        assertTrue(compared >= 3, name + ": compared " + compared + " figures");
        if (f.containsKey("confusion")) {
            float[] expected = floats(f.get("confusion"));
            long[][] counts = p.confusion().counts();
            int k = counts.length;
            assertEquals(expected.length, k * k, name);
            for (int i = 0; i < expected.length; i++) {
                assertEquals((long) expected[i], counts[i / k][i % k], name + " confusion[" + i / k + "][" + i % k
                        + "]");
            }
        }
    }

    @Test
    void fixturesHoldTheEdgeCasesTheyAreNamedFor() throws IOException {
        ConfusionMatrix absent = predictions(fixture("softmax_absent_and_never_predicted")).confusion();
        assertEquals(0, absent.support(3), "class 3 is never present");
        assertEquals(0, absent.count(0, 2) + absent.count(1, 2) + absent.count(2, 2) + absent.count(3, 2),
                "class 2 is never predicted");
        assertEquals(0, absent.precision(2));
        assertEquals(0, absent.recall(3));
        assertEquals(0, absent.f1(3));
        float[] ties = floats(fixture("softmax_ties").get("scores"));
        assertArrayEquals(new float[] {1, 1, 1, 0, 2, 2}, java.util.Arrays.copyOf(ties, 6));
        assertArrayEquals(new int[] {0, 1}, java.util.Arrays.copyOf(
                predictions(fixture("softmax_ties")).predicted(), 2), "ties go to the lowest index");
    }

    @Test
    void topKRanksTiesTheLowerIndexFirst() {
        float[] scores = {2, 2, 2, 1, 3, 3};
        // sample 0 (class 2): classes 0 and 1 tie with it and rank ahead; sample 1 (class 2): class 1 ties, ahead
        assertEquals(0, TopKAccuracy.of(scores, 3, new int[] {2, 2}, 1));
        assertEquals(0.5, TopKAccuracy.of(scores, 3, new int[] {2, 2}, 2));
        assertEquals(1, TopKAccuracy.of(scores, 3, new int[] {2, 2}, 3));
    }

    @Test
    void rocAucOfOneClassIsNaN() {
        assertTrue(Double.isNaN(RocAuc.of(new double[] {0.1, 0.2}, new boolean[] {true, true})));
        assertEquals(0.5, RocAuc.of(new double[] {1, 1}, new boolean[] {true, false}));
    }

    @Test
    void refusesMetricsThatDoNotSuitTheOutputs() {
        Predictions values = Predictions.of(Loss.MEAN_SQUARED_ERROR, 1, new float[] {1, 2}, new float[] {1, 3}, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Metric.f1Macro().of(values));
        assertTrue(e.getMessage().contains(
                "expected softmax scores or a single sigmoid unit, found MEAN_SQUARED_ERROR"),
                e.getMessage());
        Predictions three = Predictions.of(Loss.SOFTMAX_CROSS_ENTROPY, 1, new float[] {1, 2, 3},
                new float[] {0, 0, 1}, 1);
        assertThrows(IllegalStateException.class, () -> Metric.rocAuc().of(three));
        assertThrows(IllegalStateException.class, () -> Metric.rmse().check(Loss.SOFTMAX_CROSS_ENTROPY, 3));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Predictions.of(Loss.SOFTMAX_CROSS_ENTROPY, 1, new float[] {1, 2, 3}, new float[] {0, 1}, 1));
        assertTrue(shape.getMessage().contains("found 3 scores and 2 targets"), shape.getMessage());
        assertFalse(Double.isNaN(Metric.rmse().of(values)));
        assertThrows(IllegalArgumentException.class, () -> Metric.topKAccuracy(0));
    }
}
