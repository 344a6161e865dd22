package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.LayerOutput;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.Features;
import dev.lamina.runtime.data.Dataset;
import org.junit.jupiter.api.Test;

/** {@link Features}: a layer's output over a data set in batches equals {@code Layer.output()} sample by sample. */
class FeaturesTest {

    private static Layer layer(Model model, String name) {
        return model.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Row by row: one sample per predict, its layer output read in place. A batch of one sums in another order in
     * the GEMMs than the batches of Features: equal to rounding (a few ulps: 1.5e-6 at 2.93 was seen under one
     * OpenBLAS kernel), not bit for bit.
     */
    private static void assertRowByRow(Model model, Layer layer, Dataset data, float[] features) {
        int size = features.length / data.size();
        for (int i = 0; i < data.size(); i++) {
            model.predict(data.slice(i, i + 1).features(), 1);
            LayerOutput out = layer.output();
            assertEquals(size, out.size());
            for (int k = 0; k < size; k++) {
                float expected = out.get(0, k);
                assertEquals(expected, features[i * size + k], 1e-5f * Math.max(1f, Math.abs(expected)),
                        "sample " + i + ", value " + k);
            }
        }
    }

    @Test
    void hiddenFeaturesInBatchesEqualEachSamplesOutputAndTheModeIsRestored() {
        Dataset data = SampleData.digits(7).test().slice(0, 37);
        Model model = DigitsCnnNet.create(3);
        model.setTraining(true);
        Layer hidden = layer(model, "hidden");
        float[] features = Features.of(model, hidden, data, 10); // batches of 10, 10, 10, 7
        assertTrue(model.isTraining(), "the training mode is restored");
        assertEquals(37 * 64, features.length);
        // another batch size sums in another order in the GEMMs: equal to rounding, not bit for bit
        assertArrayEquals(features, Features.of(model, hidden, data, 37), 1e-5f, "batching changes nothing");
        model.setTraining(false);
        assertRowByRow(model, hidden, data, features);
    }

    @Test
    void imageFeaturesAreChannelsFirstAsLayerOutputGivesThem() {
        Dataset data = SampleData.digits(7).test().slice(0, 5);
        Model model = DigitsCnnUnfusedNet.create(4);
        Layer conv1 = layer(model, "conv1");
        float[] features = Features.of(model, conv1, data, 2);
        assertEquals(5 * 16 * 8 * 8, features.length);
        assertRowByRow(model, conv1, data, features);
    }

    @Test
    void aLayerOfAnotherNetworkOrInputsOfTheWrongLengthAreRefused() {
        Model model = DigitsCnnNet.create(3);
        Layer foreign = layer(DigitsCnnNet.create(3), "hidden");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Features.of(model, foreign, new float[64], 1, 1));
        assertTrue(e.getMessage().startsWith("expected a layer of DigitsCnn"), e.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> Features.of(model, layer(model, "hidden"), new float[65], 1, 1));
        assertEquals("expected 1 x 64 = 64 input values, found 65", length.getMessage());
    }
}
