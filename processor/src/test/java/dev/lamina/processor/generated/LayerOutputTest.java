package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.LayerOutput;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;

import org.junit.jupiter.api.Test;

/** {@code Layer.output()}: a layer's output for the last forward pass, channels first, read in place. */
class LayerOutputTest {
    private static Layer layer(Model m, String name) {
        return m.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private static void nonZeroBiases(Model m) {
        for (Tensor t : m.parameterTensors()) {
            if (t.kind() == Tensor.Kind.BIAS) {
                for (int i = 0; i < t.length(); i++) {
                    t.set(i, 0.1f * (i + 1));
                }
            }
        }
    }

    @Test
    void aDenseOutputIsItsWeightsTimesTheInput() {
        Model m = LayerOutputNets_Dense2Net.create(3);
        nonZeroBiases(m);
        float[] x = Fixtures.gaussian(2 * 3, 5);
        m.predict(x, 2);
        Layer hidden = layer(m, "hidden");
        LayerOutput out = hidden.output();
        assertEquals(2, out.rows());
        assertArrayEquals(new int[] {4}, out.shape());
        Tensor w = hidden.weights();
        Tensor b = hidden.bias();
        float[] copy = out.copy();
        for (int r = 0; r < 2; r++) {
            for (int u = 0; u < 4; u++) {
                double s = b.get(u);
                for (int f = 0; f < 3; f++) {
                    s += w.get(u * 3 + f) * x[r * 3 + f];
                }
                assertEquals(Math.tanh(s), out.get(r, u), 1e-5);
                assertEquals(out.get(r, u), copy[r * 4 + u]);
            }
        }
        assertArrayEquals(m.predict(x, 2), layer(m, "out").output().copy());
    }

    @Test
    void anImageIsReadChannelsFirstAndItsFlattenAsStored() {
        Model m = LayerOutputNets_ImageNet.create(7);
        nonZeroBiases(m);
        int c = 2;
        int h = 3;
        int w = 2;
        float[] x = Fixtures.gaussian(2 * c * h * w, 9); // channels first, as inputs are given
        m.predict(x, 2);
        Layer conv = layer(m, "conv");
        LayerOutput out = conv.output();
        assertArrayEquals(new int[] {3, h, w}, out.shape());
        Tensor weight = conv.weights(); // [filters, 1, 1, channels]
        float[] copy = out.copy();
        float[] flat = layer(m, "flat").output().copy();
        assertArrayEquals(new int[] {3 * h * w}, layer(m, "flat").output().shape());
        for (int r = 0; r < 2; r++) {
            for (int f = 0; f < 3; f++) {
                for (int p = 0; p < h * w; p++) {
                    double s = conv.bias().get(f);
                    for (int ch = 0; ch < c; ch++) {
                        s += weight.get(f * c + ch) * x[r * c * h * w + ch * h * w + p];
                    }
                    int index = f * h * w + p;
                    assertEquals(s, out.get(r, index), 1e-5);
                    assertEquals(out.get(r, index), copy[r * 3 * h * w + index]);
                    // the flatten (a view) holds the convolution's values as stored: channels last
                    assertEquals(out.get(r, index), flat[r * 3 * h * w + p * 3 + f]);
                }
            }
        }
    }

    @Test
    void anImageOutputLayerReadsWhatPredictReturnsPermuted() {
        Model m = LayerOutputNets_ImageOutNet.create(2);
        nonZeroBiases(m);
        float[] x = Fixtures.gaussian(3 * 2 * 3 * 2, 4);
        float[] y = m.predict(x, 3); // channels last: [n][h][w][c]
        float[] got = layer(m, "last").output().copy();
        int c = 2;
        int hw = 6;
        for (int r = 0; r < 3; r++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < hw; p++) {
                    assertEquals(y[r * c * hw + p * c + ch], got[r * c * hw + ch * hw + p]);
                }
            }
        }
    }

    @Test
    void aConvolutionWithAFusedPoolHasNoOutputButThePoolHas() {
        Model fused = LayerOutputNets_PooledNet.create(5);
        Model unfused = LayerOutputNets_PooledUnfusedNet.create(5);
        nonZeroBiases(fused);
        nonZeroBiases(unfused);
        float[] x = Fixtures.gaussian(2 * 16, 6);
        fused.predict(x, 2);
        unfused.predict(x, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> layer(fused, "conv").output());
        assertTrue(e.getMessage().contains("'conv'") && e.getMessage().contains("max pool 'pool'")
                && e.getMessage().contains("@Network(fuse = false)"), e.getMessage());
        LayerOutput pool = layer(fused, "pool").output();
        assertArrayEquals(new int[] {2, 2, 2}, pool.shape());
        assertArrayEquals(layer(unfused, "pool").output().copy(), pool.copy());
        float[] conv = layer(unfused, "conv").output().copy();
        float[] pooled = pool.copy();
        for (int r = 0; r < 2; r++) {
            for (int f = 0; f < 2; f++) {
                for (int py = 0; py < 2; py++) {
                    for (int px = 0; px < 2; px++) {
                        float max = Float.NEGATIVE_INFINITY;
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                max = Math.max(max, conv[r * 32 + f * 16 + (2 * py + dy) * 4 + 2 * px + dx]);
                            }
                        }
                        assertEquals(max, pooled[r * 8 + f * 4 + py * 2 + px]);
                    }
                }
            }
        }
    }

    @Test
    void aLayerWithAFusedDropoutIsItsOwnOutputInInferenceOnly() {
        Model m = LayerOutputNets_DroppedNet.create(5);
        float[] x = Fixtures.gaussian(4 * 3, 6);
        m.predict(x, 4);
        assertArrayEquals(layer(m, "drop").output().copy(), layer(m, "hidden").output().copy());
        m.setTraining(true);
        m.reserve(4);
        for (int i = 0; i < 4; i++) {
            m.setInput(i, x, i * 3);
        }
        m.forward(4);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> layer(m, "hidden").output());
        assertTrue(e.getMessage().contains("'hidden'") && e.getMessage().contains("training-mode")
                && e.getMessage().contains("@Network(fuse = false)"), e.getMessage());
        assertEquals(4, layer(m, "drop").output().rows());
    }

    @Test
    void noForwardPassOrALaterOneRefusesToRead() {
        Model m = LayerOutputNets_Dense2Net.create(3);
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> layer(m, "hidden").output());
        assertTrue(none.getMessage().contains("no forward pass"), none.getMessage());
        m.predict(Fixtures.gaussian(2 * 3, 1), 2);
        LayerOutput old = layer(m, "hidden").output();
        float before = old.get(1, 3);
        m.predict(Fixtures.gaussian(5 * 3, 2), 5);
        IllegalStateException stale = assertThrows(IllegalStateException.class, () -> old.get(0, 0));
        assertTrue(stale.getMessage().contains("'hidden'") && stale.getMessage().contains("stale"),
                stale.getMessage());
        assertThrows(IllegalStateException.class, old::copy);
        m.predict(Fixtures.gaussian(2 * 3, 1), 2); // the same batch size again: still another pass
        assertThrows(IllegalStateException.class, () -> old.get(1, 3));
        LayerOutput again = layer(m, "hidden").output();
        assertEquals(before, again.get(1, 3));
        m.state().checkForward(2, 5); // what a DeviceNetwork does before its own forward pass
        assertThrows(IllegalStateException.class, () -> again.get(1, 3));
        IllegalStateException device = assertThrows(IllegalStateException.class, () -> layer(m, "hidden").output());
        assertTrue(device.getMessage().contains("device"), device.getMessage());
    }

    @Test
    void aResidualStageReadsItsLastOutputAsPredictDoes() {
        Model m = LayerOutputNets_StageNet.create(4);
        float[] x = Fixtures.gaussian(2 * 2 * 16, 3);
        float[] y = m.predict(x, 2); // channels last
        LayerOutput out = layer(m, "stage").output();
        assertArrayEquals(new int[] {3, 4, 4}, out.shape());
        for (int r = 0; r < 2; r++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int p = 0; p < 16; p++) {
                    assertEquals(y[r * 48 + p * 3 + ch], out.get(r, ch * 16 + p));
                }
            }
        }
    }

    @Test
    void aSequenceIsReadStepMajorAsStored() {
        Model m = LayerOutputNets_SequenceNet.create(4);
        nonZeroBiases(m);
        float[] x = Fixtures.gaussian(2 * 3 * 2, 3);
        float[] y = m.predict(x, 2);
        LayerOutput lstm = layer(m, "lstm").output();
        assertArrayEquals(new int[] {3, 4}, lstm.shape());
        assertArrayEquals(y, layer(m, "out").output().copy());
        // the Dense at every step: out[step] = W lstm[step] + b
        Tensor w = layer(m, "out").weights();
        Tensor b = layer(m, "out").bias();
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < 3; t++) {
                for (int u = 0; u < 2; u++) {
                    double s = b.get(u);
                    for (int f = 0; f < 4; f++) {
                        s += w.get(u * 4 + f) * lstm.get(r, t * 4 + f);
                    }
                    assertEquals(s, y[r * 6 + t * 2 + u], 1e-5);
                }
            }
        }
    }
}
