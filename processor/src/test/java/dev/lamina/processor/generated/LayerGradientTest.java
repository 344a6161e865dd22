package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.GradNets_LayerNormedNet;
import dev.lamina.processor.nets.GradNets_NormedNet;
import dev.lamina.processor.nets.GradNets_RecurrentNet;
import dev.lamina.processor.nets.GradNets_SmoothNet;
import dev.lamina.processor.nets.GradNets_StackedRecurrentNet;
import dev.lamina.processor.nets.LeNet5Net;
import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.GradientCheck;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link Layer#addGradient}: a gradient added at a hidden layer's output backpropagates as the gradient of a loss
 * term on that output would. The term here is linear, {@code S = sum c . h} over the batch, so that its gradient
 * with respect to the layer's output is the coefficients {@code c} themselves: the parameter gradients of
 * {@code backward} with {@code c} added, minus those without, must be dS/dw, checked against central differences
 * of S (float forward passes, summed in double).
 */
class LayerGradientTest {
    /**
     * Plain central differences (no extrapolation): at 1e-2 their O(h^2) truncation error reached 3e-3 on the
     * layer norm's conv weights; at 2e-3 it is far below the limit, and the float forward's noise in S (about 1e-6)
     * stays within the absolute part of it.
     */
    private static final double STEP = 2e-3;

    @Test
    void denseLayersInTheMiddle() {
        Model m = GradNets_SmoothNet.create(3);
        assertAddedGradientBackpropagates(m, m.layers().get(2), 4, Fixtures.gaussian(4 * 3, 9), true);
    }

    @Test
    void batchNormInTrainingAndInference() {
        for (boolean training : new boolean[] {true, false}) {
            Model m = GradNets_NormedNet.create(4);
            assertAddedGradientBackpropagates(m, layer(m, "bn1"), 6, Fixtures.oneHot(6, 3, 9), training);
            assertAddedGradientBackpropagates(m, layer(m, "bn2"), 6, Fixtures.oneHot(6, 3, 9), training);
        }
    }

    @Test
    void layerNormOfImagePositions() {
        Model m = GradNets_LayerNormedNet.create(5);
        for (Layer l : m.layers()) {
            if (l.kind().equals("LayerNorm")) {
                assertAddedGradientBackpropagates(m, l, 3, Fixtures.oneHot(3, 3, 9), true);
            }
        }
    }

    @Test
    void recurrentLayersThroughTime() {
        Model lstm = GradNets_RecurrentNet.create(6);
        assertAddedGradientBackpropagates(lstm, lstm.layers().get(0), 3, Fixtures.oneHot(3, 3, 9), true);
        Model stacked = GradNets_StackedRecurrentNet.create(7);
        assertAddedGradientBackpropagates(stacked, stacked.layers().get(0), 3, Fixtures.gaussian(3 * 2, 9), true);
    }

    @Test
    void gradientsAddUpAndArePassedOnce() {
        Model m = GradNets_SmoothNet.create(8);
        Layer hidden = m.layers().get(1);
        float[] x = Fixtures.gaussian(4 * m.inputSize(), 3);
        float[] t = Fixtures.gaussian(4 * 3, 9);
        float[] c = Fixtures.gaussian(4 * 6, 11);
        GradientCheck.load(m, x, t, 4);
        GradientCheck.loss(m, 4);
        float[] half = c.clone();
        for (int i = 0; i < half.length; i++) {
            half[i] *= 0.5f;
        }
        hidden.addGradient(half);
        hidden.addGradient(half);
        m.backward(4);
        float[] twice = m.gradients().toArray();
        GradientCheck.loss(m, 4);
        hidden.addGradient(c);
        m.backward(4);
        assertArrayEquals(m.gradients().toArray(), twice, 1e-6f);
        // spent: the next backward pass is the loss's alone
        GradientCheck.loss(m, 4);
        m.backward(4);
        float[] plain = m.gradients().toArray();
        GradientCheck.loss(m, 4);
        m.backward(4);
        assertArrayEquals(plain, m.gradients().toArray(), 0f);
    }

    @Test
    void layersWithoutAGradientOfTheirOwnAreRefused() {
        Model m = LeNet5Net.create(1);
        GradientCheck.load(m, Fixtures.gaussian(2 * 784, 1), Fixtures.oneHot(2, 10, 2), 2);
        m.setTraining(false);
        m.forward(2);
        // c1's max pool is fused into it: only the pooled values (s2) exist; f5's dropout is folded into it
        IllegalArgumentException fused = assertThrows(IllegalArgumentException.class,
                () -> layer(m, "c1").addGradient(new float[2 * 6 * 28 * 28]));
        assertTrue(fused.getMessage().contains("fusion kept no output"), fused.getMessage());
        IllegalArgumentException dropped = assertThrows(IllegalArgumentException.class,
                () -> layer(m, "f5").addGradient(new float[2 * 120]));
        assertTrue(dropped.getMessage().contains("dropout's field"), dropped.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> layer(m, "s2").addGradient(new float[7]));
        assertTrue(length.getMessage().contains("2 x 1176 = 2352 floats, found 7"), length.getMessage());
        layer(m, "s2").addGradient(new float[2 * 1176]);
        layer(m, "drop").addGradient(new float[2 * 120]);
    }

    private static Layer layer(Model m, String name) {
        return m.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private static void assertAddedGradientBackpropagates(Model m, Layer layer, int n, float[] targets,
                                                          boolean training) {
        m.setTraining(training);
        float[] x = Fixtures.gaussian(n * m.inputSize(), 3);
        GradientCheck.load(m, x, targets, n);
        GradientCheck.loss(m, n);
        m.backward(n);
        float[] plain = m.gradients().toArray();
        int size = layer.output().size();
        float[] c = Fixtures.gaussian(n * size, 17);
        GradientCheck.loss(m, n);
        layer.addGradient(c);
        m.backward(n);
        float[] added = m.gradients().toArray();
        FloatBuffer p = m.parameters().floats();
        int failed = 0;
        StringBuilder worst = new StringBuilder();
        for (int i = 0; i < m.parameterCount(); i++) {
            float original = p.get(i);
            float up = (float) (original + STEP);
            float down = (float) (original - STEP);
            p.put(i, up);
            double plus = term(m, layer, n, c);
            p.put(i, down);
            double minus = term(m, layer, n, c);
            p.put(i, original);
            double numeric = (plus - minus) / ((double) up - down);
            double analytic = (double) added[i] - plain[i];
            double limit = 2e-2 * Math.max(Math.abs(analytic), Math.abs(numeric)) + 2e-4;
            if (Math.abs(analytic - numeric) > limit) {
                failed++;
                worst.append(String.format(" [%d: %.6f vs %.6f]", i, analytic, numeric));
            }
        }
        assertTrue(failed == 0, m.name() + " at " + layer.name() + (training ? " (training)" : " (inference)")
                + ":" + worst);
    }

    /** S = sum over the batch of c . h, with the checker's dropout masks. */
    private static double term(Model m, Layer layer, int n, float[] c) {
        GradientCheck.loss(m, n);
        float[] h = layer.output().copy();
        double s = 0;
        for (int i = 0; i < h.length; i++) {
            s += (double) c[i] * h[i];
        }
        return s;
    }
}
