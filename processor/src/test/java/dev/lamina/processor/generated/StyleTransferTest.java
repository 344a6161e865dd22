package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.GramMatrix;
import dev.lamina.runtime.analysis.StyleTransfer;
import org.junit.jupiter.api.Test;

/** {@link StyleTransfer} lowers its loss and moves the result's Gram matrices toward the style image's. */
class StyleTransferTest {

    @Test
    void lowersTheTotalLossAndMovesEveryGramMatrixTowardTheStyles() {
        Model m = AnalysisNets_RgbNet.create(5);
        float[] content = Fixtures.uniform(m.inputSize(), 31);
        float[] style = stripes();
        StyleTransfer transfer = StyleTransfer.of(m).content(ActivationMaximisationTest.layer(m, "c3"), 1)
                .style(ActivationMaximisationTest.layer(m, "c1"), 100)
                .style(ActivationMaximisationTest.layer(m, "c2"), 100)
                .steps(80).learningRate(0.02).range(0, 1);
        StyleTransfer.Losses before = transfer.losses(content, content, style);
        assertEquals(0, before.content(), 0, "the content image has no content loss");
        float[] result = transfer.run(content, style);
        StyleTransfer.Losses after = transfer.losses(result, content, style);
        assertTrue(after.total() < 0.5 * before.total(), "total loss " + before.total() + " -> " + after.total());
        for (int l = 0; l < 2; l++) {
            assertTrue(after.style()[l] < 0.5 * before.style()[l], "style loss of layer " + l + ": "
                    + before.style()[l] + " -> " + after.style()[l]);
        }
        for (float v : result) {
            assertTrue(v >= 0 && v <= 1, "clipped to [0, 1]: " + v);
        }
        assertArrayEquals(result, transfer.run(content, style), "deterministic");
    }

    @Test
    void aGramMatrixIsTheChannelsCoActivationsAveragedOverPositions() {
        // two channels of three positions: (1, 2, 3) and (0, 1, -1)
        double[] g = GramMatrix.of(new float[] {9, 1, 2, 3, 0, 1, -1}, 1, 2, 3);
        assertArrayEquals(new double[] {14 / 3.0, -1 / 3.0, -1 / 3.0, 2 / 3.0}, g, 1e-12);
    }

    @Test
    void refusesToRunWithoutAStyleLayer() {
        Model m = AnalysisNets_RgbNet.create(5);
        float[] x = new float[m.inputSize()];
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StyleTransfer.of(m).content(ActivationMaximisationTest.layer(m, "c3"), 1).run(x, x));
        assertTrue(e.getMessage().contains("at least one style layer"), e.getMessage());
    }

    /** Red and blue diagonal stripes, channels first. */
    private static float[] stripes() {
        float[] s = new float[3 * 64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                boolean red = ((x + y) / 2) % 2 == 0;
                s[y * 8 + x] = red ? 1 : 0;
                s[2 * 64 + y * 8 + x] = red ? 0 : 1;
            }
        }
        return s;
    }
}
