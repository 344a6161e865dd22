package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.GradNets_ResidualsNet;
import dev.lamina.processor.nets.LeNet5Net;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.analysis.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Frozen layers at the start of a network cost no backward work: the pass stops after the last step that computes
 * a trainable tensor's gradient. The trainable tensors' gradients are bit-for-bit those of the whole pass; the
 * frozen ones', which nothing reads, stay zero.
 */
class FrozenBackwardTest {
    @Test
    void aFrozenFeatureExtractorIsNotDifferentiated() {
        Model m = LeNet5Net.create(3);
        assertFrozenPrefix(m, List.of("c1", "c3"), 4, Fixtures.oneHot(4, 10, 9), 0f);
        // frozen up to f5: its step is skipped too, and f6, out still get their whole gradients
        assertFrozenPrefix(LeNet5Net.create(3), List.of("c1", "c3", "f5"), 4, Fixtures.oneHot(4, 10, 9), 0f);
    }

    @Test
    void residualStagesWithBatchNorms() {
        Model m = GradNets_ResidualsNet.create(4);
        // two whole passes of this network already differ in the last bit (measured), so: to float rounding
        assertFrozenPrefix(m, List.of("stem", "stemBn", "same"), 4, Fixtures.oneHot(4, 3, 9), 1e-6f);
    }

    @Test
    void aFrozenLayerAfterATrainableOneStillPassesItsGradientOn() {
        Model m = LeNet5Net.create(5);
        // c3 frozen but c1 trainable: every step runs, c1's gradient is the whole pass's
        assertFrozenPrefix(m, List.of("c3"), 4, Fixtures.oneHot(4, 10, 9), 0f);
    }

    private static void assertFrozenPrefix(Model m, List<String> frozenLayers, int n, float[] targets,
                                           float tolerance) {
        m.setTraining(true);
        float[] x = Fixtures.gaussian(n * m.inputSize(), 3);
        GradientCheck.load(m, x, targets, n);
        GradientCheck.loss(m, n);
        m.backward(n);
        float[] whole = m.gradients().toArray();
        List<Tensor> frozen = new ArrayList<>();
        for (Tensor t : m.parameterTensors()) {
            if (frozenLayers.stream().anyMatch(l -> t.name().startsWith(l + "."))) {
                frozen.add(t);
            }
        }
        assertTrue(!frozen.isEmpty());
        m.state().freeze(frozen);
        try {
            GradientCheck.loss(m, n);
            m.backward(n);
        } finally {
            m.state().freeze(Set.of());
        }
        float[] part = m.gradients().toArray();
        Set<String> frozenNames = frozen.stream().map(Tensor::name).collect(Collectors.toSet());
        for (Tensor t : m.parameterTensors()) {
            for (int i = t.offset(); i < t.offset() + t.length(); i++) {
                if (!frozenNames.contains(t.name())) {
                    assertEquals(whole[i], part[i], tolerance, t.name() + " [" + (i - t.offset()) + "]");
                }
            }
        }
        boolean prefix = frozenLayers.contains(m.layers().get(0).name());
        if (prefix) {
            Tensor first = frozen.get(0);
            float[] firstGradient = new float[first.length()];
            System.arraycopy(part, first.offset(), firstGradient, 0, first.length());
            assertArrayEquals(new float[first.length()], firstGradient, 0f, "skipped: " + first.name());
        }
    }

}
