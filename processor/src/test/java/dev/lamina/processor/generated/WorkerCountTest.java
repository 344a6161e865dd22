package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.processor.nets.GradNets_BranchesNet;
import dev.lamina.processor.nets.GradNets_ConvsNet;
import dev.lamina.processor.nets.GradNets_DroppedNet;
import dev.lamina.processor.nets.GradNets_NormedNet;
import dev.lamina.processor.nets.GradNets_GatedThenElmanNet;
import dev.lamina.processor.nets.GradNets_PooledNet;
import dev.lamina.processor.nets.GradNets_ResidualsNet;
import dev.lamina.processor.nets.GradNets_StackedRecurrentNet;
import dev.lamina.processor.nets.GradNets_WideRowsNet;
import dev.lamina.processor.nets.LeNet5Net;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Workers;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batch split over 1, 2 or 3 workers (with uneven slices, and a worker with no rows) gives the same loss,
 * outputs and gradients up to float summation order: the workers' slices of shared regions never overlap, batch
 * statistics are the whole batch's, and dropout masks do not depend on the split.
 */
class WorkerCountTest {
    private final int original = Workers.threads();

    @AfterEach
    void restore() {
        Workers.setThreads(original);
    }

    @Test
    void lenetWithDropout() {
        assertSplitInvariant(() -> LeNet5Net.create(1), 7);
    }

    @Test
    void convolutionsAndPooling() {
        assertSplitInvariant(() -> GradNets_ConvsNet.create(2), 5);
    }

    @Test
    void fusedMaxPoolsAndDropout() {
        assertSplitInvariant(() -> GradNets_PooledNet.create(5), 5);
    }

    @Test
    void wideRows() {
        assertSplitInvariant(() -> GradNets_WideRowsNet.create(6), 5);
    }

    @Test
    void gruAndElmanRnn() {
        assertSplitInvariant(() -> GradNets_GatedThenElmanNet.create(9), 5);
    }

    @Test
    void branches() {
        assertSplitInvariant(() -> GradNets_BranchesNet.create(10), 5);
    }

    @Test
    void stackedLstms() {
        assertSplitInvariant(() -> GradNets_StackedRecurrentNet.create(7), 5);
    }

    @Test
    void residualStages() {
        assertSplitInvariant(() -> GradNets_ResidualsNet.create(8), 5);
    }

    @Test
    void batchNormStatisticsOverTheWholeBatch() {
        assertSplitInvariant(() -> GradNets_NormedNet.create(3), 5);
    }

    @Test
    void dropoutMasks() {
        assertSplitInvariant(() -> GradNets_DroppedNet.create(4), 2);
    }

    private static void assertSplitInvariant(Supplier<Model> network, int n) {
        Result one = run(network, n, 1);
        for (int threads : new int[] {2, 3}) {
            Result many = run(network, n, threads);
            assertEquals(one.loss, many.loss, 1e-6, threads + " workers: loss");
            assertArrayEquals(one.outputs, many.outputs, 1e-5f, threads + " workers: outputs");
            assertArrayEquals(one.gradients, many.gradients, 1e-5f, threads + " workers: gradients");
        }
    }

    private record Result(double loss, float[] outputs, float[] gradients) {
    }

    private static Result run(Supplier<Model> network, int n, int threads) {
        Workers.setThreads(threads);
        Model m = network.get();
        float[] x = Fixtures.gaussian(n * m.inputSize(), 21);
        float[] t = Fixtures.oneHot(n, m.outputSize(), 22);
        m.reserve(n);
        for (int r = 0; r < n; r++) {
            m.setInput(r, x, r * m.inputSize());
            m.setTarget(r, t, r * m.outputSize());
        }
        m.state().reseedDropout(5);
        m.forward(n);
        double loss = m.loss(n);
        m.backward(n);
        float[] outputs = new float[n * m.outputSize()];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < m.outputSize(); k++) {
                outputs[r * m.outputSize() + k] = m.output(r, k);
            }
        }
        return new Result(loss, outputs, m.gradients().toArray());
    }
}
