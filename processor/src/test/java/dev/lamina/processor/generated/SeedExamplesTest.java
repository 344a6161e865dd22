package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.SeedNets_Mlp784Net;
import dev.lamina.processor.nets.SeedNets_NeuronNet;
import dev.lamina.processor.nets.SeedNets_ScoresNet;
import dev.lamina.processor.nets.SeedNets_XorNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import org.junit.jupiter.api.Test;

/** The seed material's examples, as tests. */
class SeedExamplesTest {
    private static final float[] GATE_INPUTS = {0, 0, 0, 1, 1, 0, 1, 1};

    @Test
    void mlp784x16x16x10HasThirteenThousandAndTwoParameters() {
        assertEquals(13_002, SeedNets_Mlp784Net.create(0).parameterCount());
    }

    @Test
    void softmaxOf542() {
        Model m = SeedNets_ScoresNet.create(0);
        // with zero weights and no bias the scores are 0; read softmax through the loss gradient instead:
        // dL/dz = (softmax(z) - t) / n with z = [5, 4, 2] set as an identity-weight layer's output
        m.layers().get(0).weights().copyFrom(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        m.reserve(1);
        m.setInput(0, new float[] {5, 4, 2}, 0);
        m.setTarget(0, new float[] {0, 0, 0}, 0);
        m.forward(1);
        m.loss(1);
        m.backward(1);
        float[] g = m.layers().get(0).weightGradient().toArray();
        // dL/dW[k][j] = softmax_k * x_j; column j = 0 has x = 5
        double[] softmax = {g[0] / 5, g[3] / 5, g[6] / 5};
        assertArrayEquals(new double[] {0.71, 0.26, 0.04}, round2(softmax), 1e-9);
    }

    @Test
    void singleThresholdNeuronsRealiseAndAndOr() {
        assertEquals(java.util.List.of(0f, 0f, 0f, 1f), gate(-1.5f));
        assertEquals(java.util.List.of(0f, 1f, 1f, 1f), gate(-0.5f));
    }

    private static java.util.List<Float> gate(float bias) {
        Model m = SeedNets_NeuronNet.create(0);
        m.layers().get(0).weights().copyFrom(new float[] {1, 1});
        m.layers().get(0).bias().copyFrom(new float[] {bias});
        float[] y = m.predict(GATE_INPUTS, 4);
        java.util.List<Float> out = new java.util.ArrayList<>();
        for (float v : y) {
            out.add(v);
        }
        return out;
    }

    @Test
    void perceptronRuleConvergesOnALinearlySeparableSet() {
        // points above the line x2 = 0.5 x1 + 0.2 are class 1
        dev.lamina.runtime.Rng rng = new dev.lamina.runtime.Rng(4);
        int n = 60;
        float[] x = new float[2 * n];
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            float x1 = rng.nextFloat();
            float x2 = rng.nextFloat();
            if (Math.abs(x2 - 0.5f * x1 - 0.2f) < 0.05f) {
                x2 += 0.1f; // keep a margin so that the rule provably converges
            }
            x[2 * i] = x1;
            x[2 * i + 1] = x2;
            d[i] = x2 > 0.5f * x1 + 0.2f ? 1 : 0;
        }
        Model m = SeedNets_NeuronNet.create(0);
        int epochs = dev.lamina.runtime.analysis.Perceptron.train(m, x, d, n, 0.1f, 1000);
        assertTrue(epochs < 1000, "did not converge");
        float[] y = m.predict(x, n);
        assertArrayEquals(d, y);
    }

    @Test
    void xorIsLearnedByA221Network() {
        Dataset xor = new Dataset(GATE_INPUTS.clone(), new int[] {2}, new float[] {0, 1, 1, 0}, 1);
        Model m = SeedNets_XorNet.create(1);
        Trainer.of(m).optimizer(Optimizer.adam(0.05)).batchSize(4).epochs(600).fit(xor);
        float[] y = m.predict(GATE_INPUTS, 4);
        assertTrue(y[0] < 0 && y[1] > 0 && y[2] > 0 && y[3] < 0, java.util.Arrays.toString(y));
    }

    private static double[] round2(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 100) / 100.0;
        }
        return r;
    }
}
