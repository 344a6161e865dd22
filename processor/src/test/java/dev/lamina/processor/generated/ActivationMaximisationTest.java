package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.ActivationMaximisation;
import org.junit.jupiter.api.Test;

/** {@link ActivationMaximisation} raises what it maximises, on an output unit and on a hidden channel. */
class ActivationMaximisationTest {

    @Test
    void raisesAClassScore() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        ActivationMaximisation ascent = ActivationMaximisation.of(m, layer(m, "out")).unit(1).steps(60)
                .learningRate(0.05).range(-1, 1).seed(3);
        double start = ascent.activation(ascent.start());
        float[] image = ascent.run();
        double end = ascent.activation(image);
        // the scores are bounded (sigmoid features): higher than the start, and than any of 100 random images
        float[] random = Fixtures.uniform(100 * m.inputSize(), 9);
        for (int i = 0; i < random.length; i++) {
            random[i] = 2 * random[i] - 1;
        }
        float[] scores = m.predict(random, 100);
        double best = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < 100; r++) {
            best = Math.max(best, scores[r * 3 + 1]);
        }
        assertTrue(end > start + 0.2 && end > best, "score 1 from " + start + " to " + end + "; best of 100 random "
                + "images " + best);
        // the activation the tool reports is the output predict gives
        assertEquals(m.predict(image, 1)[1], end, 1e-6);
        for (float v : image) {
            assertTrue(v >= -1 && v <= 1, "clipped to [-1, 1]: " + v);
        }
        assertArrayEquals(image, ascent.run(), "deterministic");
    }

    @Test
    void raisesAHiddenChannelsMeanWithBlurAndDecay() {
        Model m = AnalysisNets_RgbNet.create(5);
        Layer c2 = layer(m, "c2");
        ActivationMaximisation ascent = ActivationMaximisation.of(m, c2).channel(4).steps(60).learningRate(0.05)
                .l2(0.01).blurEvery(4).seed(4);
        double start = ascent.activation(ascent.start());
        float[] image = ascent.run();
        double end = ascent.activation(image);
        m.predict(image, 1);
        float[] maps = c2.output().copy();
        double mean = 0;
        for (int p = 0; p < 64; p++) {
            mean += maps[4 * 64 + p] / 64.0;
        }
        assertEquals(mean, end, 1e-6);
        assertTrue(end > start + 0.3, "channel 4's mean from " + start + " to " + end);
    }

    @Test
    void refusesAUnitOutsideTheLayerAndAMissingChoice() {
        Model m = AnalysisNets_SmoothConvNet.create(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ActivationMaximisation.of(m, layer(m, "out")).unit(3));
        assertTrue(e.getMessage().contains("expected a unit in [0, 3)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ActivationMaximisation.of(m, layer(m, "out")).run());
        Model other = AnalysisNets_SmoothConvNet.create(5);
        assertThrows(IllegalArgumentException.class, () -> ActivationMaximisation.of(m, layer(other, "c1")));
    }

    static Layer layer(Model m, String name) {
        return m.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }
}
