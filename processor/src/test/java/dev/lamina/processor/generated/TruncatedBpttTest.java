package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.GradNets_SixStepsNet;
import dev.lamina.processor.nets.GradNets_StatefulNet;
import dev.lamina.processor.nets.GradNets_ThreeStepChunksNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.GradientCheck;
import org.junit.jupiter.api.Test;

/**
 * Stateful recurrent layers: the carried state is the state the longer sequence would have had, and the gradient
 * stops at the batch boundary.
 */
class TruncatedBpttTest {

    @Test
    void twoChunksWithTheStateCarriedEqualTheWholeSequence() {
        int n = 2;
        Model whole = GradNets_SixStepsNet.create(30);
        Model chunks = GradNets_ThreeStepChunksNet.create(31);
        assertEquals(whole.parameterCount(), chunks.parameterCount());
        chunks.parameters().floats().put(0, whole.parameterArray());
        float[] x = Fixtures.gaussian(n * 6 * 2, 5);
        float[] wholeOut = whole.predict(x, n);

        chunks.resetStates();
        chunks.setTraining(true);
        float[] last = null;
        for (int chunk = 0; chunk < 2; chunk++) {
            float[] part = new float[n * 3 * 2];
            for (int row = 0; row < n; row++) {
                System.arraycopy(x, (row * 6 + chunk * 3) * 2, part, row * 3 * 2, 3 * 2);
            }
            // a training pass carries each row's state into the next (predict would infer and carry nothing)
            GradientCheck.load(chunks, part, new float[n * chunks.outputSize()], n);
            chunks.forward(n);
            last = new float[n * chunks.outputSize()];
            for (int row = 0; row < n; row++) {
                for (int k = 0; k < chunks.outputSize(); k++) {
                    last[row * chunks.outputSize() + k] = chunks.output(row, k);
                }
            }
        }
        assertArrayEquals(wholeOut, last, 1e-5f);
    }

    @Test
    void gradientsWithACarriedStateStopAtTheBatchBoundary() {
        Model m = GradNets_StatefulNet.create(32);
        int n = 3;
        m.setTraining(true);
        m.resetStates();
        // a first batch leaves a state to carry; the gradient check then holds it for every evaluation
        GradientCheck.load(m, Fixtures.gaussian(n * m.inputSize(), 6), Fixtures.oneHot(n, 3, 7), n);
        m.forward(n);
        m.state().holdStates(true);
        float[] x = Fixtures.gaussian(n * m.inputSize(), 8);
        GradientCheck.Result r = GradientCheck.check(m, x, Fixtures.oneHot(n, 3, 9), n, 1e-2, 1, 1e-2);
        assertTrue(r.passed(), r.toString());
        assertEquals(m.parameterCount(), r.checked());
    }
}
