package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.GradNets_Convolved1dNet;
import dev.lamina.processor.nets.GradNets_ConvsNet;
import dev.lamina.processor.nets.GradNets_CustomBlocksNet;
import dev.lamina.processor.nets.GradNets_ConvsUnfusedNet;
import dev.lamina.processor.nets.GradNets_DecreasingPooledNet;
import dev.lamina.processor.nets.GradNets_DecreasingPooledUnfusedNet;
import dev.lamina.processor.nets.GradNets_DecoderNet;
import dev.lamina.processor.nets.GradNets_DroppedNet;
import dev.lamina.processor.nets.GradNets_DroppedUnfusedNet;
import dev.lamina.processor.nets.GradNets_GroupedIsolationNet;
import dev.lamina.processor.nets.GradNets_GroupedNet;
import dev.lamina.processor.nets.GradNets_KinkedNet;
import dev.lamina.processor.nets.GradNets_LayerNormedNet;
import dev.lamina.processor.nets.GradNets_LayerNormedSequenceNet;
import dev.lamina.processor.nets.GradNets_LstmVariantsNet;
import dev.lamina.processor.nets.GradNets_MaxUnpooledNet;
import dev.lamina.processor.nets.GradNets_NormedNet;
import dev.lamina.processor.nets.GradNets_PooledNet;
import dev.lamina.processor.nets.GradNets_PooledUnfusedNet;
import dev.lamina.processor.nets.GradNets_BottlenecksNet;
import dev.lamina.processor.nets.GradNets_BranchesNet;
import dev.lamina.processor.nets.GradNets_BranchesUnfusedNet;
import dev.lamina.processor.nets.GradNets_ElmanThenGatedNet;
import dev.lamina.processor.nets.GradNets_GatedThenElmanNet;
import dev.lamina.processor.nets.GradNets_RecurrentNet;
import dev.lamina.processor.nets.GradNets_ResponseNormedNet;
import dev.lamina.processor.nets.GradNets_ResidualsNet;
import dev.lamina.processor.nets.GradNets_ResidualsUnfusedNet;
import dev.lamina.processor.nets.GradNets_SmoothNet;
import dev.lamina.processor.nets.GradNets_StackedRecurrentNet;
import dev.lamina.processor.nets.GradNets_TokensNet;
import dev.lamina.processor.nets.GradNets_UpsampledSkipNet;
import dev.lamina.processor.nets.GradNets_WideRowsNet;
import dev.lamina.processor.nets.GradNets_WideRowsUnfusedNet;
import dev.lamina.processor.nets.LeNet5Net;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Backpropagated gradients of generated networks against central differences, for every layer type, activation
 * and loss, in training mode unless a test says otherwise; and fused against unfused code. The limit is
 * {@link GradientCheck}'s: 1% relative, plus what the float32 loss's rounding noise, measured on each network,
 * does to the difference quotient (steps {@value #STEP} and half that, extrapolated).
 */
class GradientCheckTest {
    private static final double STEP = 1e-2;
    /**
     * The step for networks with kinks (ReLU, max pooling) or jumps (max-unpooling moves a value when its window's
     * winner changes): a difference that straddles one is wrong by construction, and a smaller step straddles
     * fewer. The measured noise's share of the limit grows as the step shrinks, which keeps the limit sound.
     */
    private static final double STEP_NEAR_KINKS = 1e-3;
    private static final double RELATIVE = 1e-2;

    /**
     * As {@link #assertGradients}, for networks with ReLU or max pooling, whose kinks a central difference can
     * straddle: 1% of the parameters may fail.
     */
    private static void assertGradientsAllowingKinks(Model model, int n, float[] targets) {
        model.setTraining(true);
        float[] x = Fixtures.gaussian(n * model.inputSize(), 3);
        GradientCheck.Result r = GradientCheck.check(model, x, targets, n, STEP_NEAR_KINKS, 1, RELATIVE);
        assertTrue(r.failed() <= r.checked() / 100, model.name() + ": " + r);
        assertEquals(model.parameterCount(), r.checked());
    }

    private static void assertGradients(Model model, int n, float[] targets) {
        model.setTraining(true);
        assertGradientsAsTheyAre(model, n, targets, STEP);
    }

    /** Every parameter within the limit, in training mode, at the step for kinks (none is straddled here). */
    private static void assertGradientsNearKinks(Model model, int n, float[] targets) {
        model.setTraining(true);
        assertGradientsAsTheyAre(model, n, targets, STEP_NEAR_KINKS);
    }

    /** Checks every parameter in the mode the model is in. */
    private static void assertGradientsAsTheyAre(Model model, int n, float[] targets, double step) {
        float[] x = Fixtures.gaussian(n * model.inputSize(), 3);
        GradientCheck.Result r = GradientCheck.check(model, x, targets, n, step, 1, RELATIVE);
        assertTrue(r.passed(), model.name() + ": " + r);
        assertEquals(model.parameterCount(), r.checked());
    }

    @Test
    void smoothActivationsWithSquaredError() {
        Model m = GradNets_SmoothNet.create(1);
        assertGradients(m, 4, Fixtures.gaussian(4 * 3, 9));
    }

    @Test
    void kinkedActivationsWithSigmoidCrossEntropy() {
        Model m = GradNets_KinkedNet.create(2);
        assertGradientsNearKinks(m, 5, Fixtures.uniform(5 * 4, 9));
    }

    @Test
    void convolutionPoolingAndSoftmaxWithLabelSmoothing() {
        Model m = GradNets_ConvsNet.create(3);
        assertGradientsNearKinks(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void batchNormOnImagesAndVectors() {
        Model m = GradNets_NormedNet.create(4);
        assertGradients(m, 6, Fixtures.oneHot(6, 3, 9));
    }

    @Test
    void layerNormOnImagePositionsAndVectors() {
        Model m = GradNets_LayerNormedNet.create(23);
        assertGradients(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void layerNormOnEveryStep() {
        Model m = GradNets_LayerNormedSequenceNet.create(24);
        assertGradients(m, 3, Fixtures.gaussian(3 * 4 * 2, 9));
    }

    @Test
    void localResponseNormalisation() {
        Model m = GradNets_ResponseNormedNet.create(25);
        assertGradients(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void transposedConvolutionsInEveryColumnLayout() {
        Model m = GradNets_DecoderNet.create(26);
        assertEquals(7 * 7, m.outputSize());
        assertGradients(m, 2, Fixtures.gaussian(2 * 49, 9));
    }

    @Test
    void maxUnpoolingByTheEncodersPool() {
        Model m = GradNets_MaxUnpooledNet.create(33);
        assertGradientsAllowingKinks(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void upsampledUNetSkip() {
        Model m = GradNets_UpsampledSkipNet.create(27);
        assertGradients(m, 2, Fixtures.oneHot(2, 3, 9));
    }

    @Test
    void convolutionsAlongASequence() {
        Model m = GradNets_Convolved1dNet.create(34);
        assertGradients(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void groupedAndDepthwiseConvolutions() {
        Model m = GradNets_GroupedNet.create(35);
        // 6 filters of 3x3x2 + 6 biases; depthwise: 6 filters of 3x3x1 + 6 biases; dense 6*2*2 -> 3
        assertEquals(6 * 9 * 2 + 6 + 6 * 9 + 6 + 24 * 3 + 3, m.parameterCount());
        assertGradients(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void eachGroupSeesOnlyItsOwnChannels() {
        Model m = GradNets_GroupedIsolationNet.create(36);
        float[] x = Fixtures.gaussian(2 * 9, 3);
        float[] before = m.predict(x, 1);
        for (int i = 0; i < 9; i++) {
            x[i] += 1f; // input channel 0 (channels first, as inputs are given)
        }
        float[] after = m.predict(x, 1);
        for (int p = 0; p < 9; p++) {
            // outputs are channels last: channel 0 at even indices, channel 1 at odd ones
            assertEquals(before[2 * p + 1], after[2 * p + 1], 0f, "channel 1 moved at position " + p);
        }
        assertTrue(java.util.stream.IntStream.range(0, 9).anyMatch(p -> before[2 * p] != after[2 * p]));
    }

    @Test
    void fusedDropout() {
        Model m = GradNets_DroppedNet.create(5);
        assertGradients(m, 4, Fixtures.oneHot(4, 4, 9));
    }

    @Test
    void maxPoolsFusedIntoConvolutions() {
        Model m = GradNets_PooledNet.create(10);
        assertGradientsAllowingKinks(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void wideRowsOfAOneChannelConvolution() {
        Model m = GradNets_WideRowsNet.create(11);
        assertGradientsAllowingKinks(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void lstmThroughTime() {
        Model m = GradNets_RecurrentNet.create(13);
        assertGradients(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void gruSequenceIntoElmanRnn() {
        Model m = GradNets_GatedThenElmanNet.create(18);
        assertGradients(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void elmanSequenceIntoGru() {
        Model m = GradNets_ElmanThenGatedNet.create(19);
        assertGradients(m, 3, Fixtures.gaussian(3 * 2, 9));
    }

    @Test
    void embeddingAndALossAtEveryStep() {
        Model m = GradNets_TokensNet.create(22);
        int n = 3;
        float[] ids = new float[n * 4];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 7 + 3) % 5; // every id, some twice in a row
        }
        float[] next = Fixtures.oneHot(n * 4, 5, 9); // a one-hot target per step
        m.setTraining(true);
        GradientCheck.Result r = GradientCheck.check(m, ids, next, n, STEP, 1, RELATIVE);
        assertTrue(r.passed(), r.toString());
        assertEquals(m.parameterCount(), r.checked());
        assertEquals(4 * 5, m.outputSize());
    }

    @Test
    void lstmWithPeepholesACoupledGateAndBoth() {
        Model m = GradNets_LstmVariantsNet.create(28);
        int n = 3;
        m.setTraining(true);
        m.resetStates();
        // one batch first, so that the stateful layer starts the checked one from a carried cell
        GradientCheck.load(m, Fixtures.gaussian(n * m.inputSize(), 6), Fixtures.oneHot(n, 3, 7), n);
        m.forward(n);
        m.state().holdStates(true);
        assertGradients(m, n, Fixtures.oneHot(n, 3, 9));
    }

    @Test
    void stackedLstmsReturningSequences() {
        Model m = GradNets_StackedRecurrentNet.create(14);
        assertGradients(m, 3, Fixtures.gaussian(3 * 2, 9));
    }

    @Test
    void residualStagesWithIdentityAndProjectionShortcuts() {
        Model m = GradNets_ResidualsNet.create(15);
        assertGradientsAllowingKinks(m, 4, Fixtures.oneHot(4, 3, 9));
    }

    @Test
    void branchesJoinedAlongChannelsAndASkip() {
        Model m = GradNets_BranchesNet.create(20);
        assertGradientsAllowingKinks(m, 3, Fixtures.oneHot(3, 3, 9));
    }

    @Test
    void fusedAndUnfusedBranchesAgree() {
        assertSameComputation(GradNets_BranchesNet.create(21), GradNets_BranchesUnfusedNet.create(21), 3);
    }

    @Test
    void userDefinedBlocksAtTwoWidths() {
        Model m = GradNets_CustomBlocksNet.create(29);
        // the stem's bias feeds a batch norm, so its gradient is exactly zero: the difference reads rounding alone
        assertGradients(m, 4, Fixtures.oneHot(4, 3, 9));
        // the block's layers are named after its fields, per stage and block
        assertTrue(m.parameterTensors().stream().anyMatch(t -> t.name().equals("same.1.conv2.weight")));
        assertTrue(m.parameterTensors().stream().anyMatch(t -> t.name().equals("down.shortcut.conv.weight")));
    }

    @Test
    void bottleneckBlocks() {
        Model m = GradNets_BottlenecksNet.create(16);
        assertGradients(m, 3, Fixtures.gaussian(3 * 2, 9));
    }

    @Test
    void lenetWithFusedDropoutOnASample() {
        Model m = LeNet5Net.create(6);
        float[] x = Fixtures.uniform(2 * 784, 3);
        m.setTraining(true);
        GradientCheck.Result r = GradientCheck.check(m, x, Fixtures.oneHot(2, 10, 9), 2, STEP_NEAR_KINKS, 7, RELATIVE);
        // ReLU and max pooling have kinks; allow 1% of differences to straddle one
        assertTrue(r.failed() <= r.checked() / 100, r.toString());
    }

    @Test
    void fusedAndUnfusedDropoutAgree() {
        assertSameComputation(GradNets_DroppedNet.create(7), GradNets_DroppedUnfusedNet.create(7), 4);
    }

    @Test
    void fusedAndUnfusedDropoutAgreeInInference() {
        // inference keeps every value: the standalone layer's copy loop and the fused epilogue's scale of one
        Model fused = GradNets_DroppedNet.create(7);
        Model unfused = GradNets_DroppedUnfusedNet.create(7);
        int n = 4;
        float[] x = Fixtures.gaussian(n * fused.inputSize(), 11);
        float[] t = Fixtures.oneHot(n, fused.outputSize(), 12);
        for (Model m : List.of(fused, unfused)) {
            GradientCheck.load(m, x, t, n);
            m.setTraining(false);
            m.forward(n);
        }
        for (int row = 0; row < n; row++) {
            for (int k = 0; k < fused.outputSize(); k++) {
                assertEquals(fused.output(row, k), unfused.output(row, k), 1e-6f, "row " + row + " output " + k);
            }
        }
    }

    @Test
    void fusedAndUnfusedConvolutionsAgree() {
        assertSameComputation(GradNets_ConvsNet.create(8), GradNets_ConvsUnfusedNet.create(8), 3);
    }

    @Test
    void fusedAndUnfusedMaxPoolsAgree() {
        assertSameComputation(GradNets_PooledNet.create(9), GradNets_PooledUnfusedNet.create(9), 5);
    }

    @Test
    void maxPoolsAfterDecreasingActivationsAgreeWithTheUnfusedNetwork() {
        Model fused = GradNets_DecreasingPooledNet.create(13);
        assertSameComputation(fused, GradNets_DecreasingPooledUnfusedNet.create(13), 5);
        float[] x = Fixtures.gaussian(5 * fused.inputSize(), 3);
        assertArrayEquals(GradNets_DecreasingPooledUnfusedNet.create(13).predict(x, 5), fused.predict(x, 5), 1e-6f);
    }

    @Test
    void fusedAndUnfusedWideRowsAgree() {
        assertSameComputation(GradNets_WideRowsNet.create(12), GradNets_WideRowsUnfusedNet.create(12), 4);
    }

    @Test
    void fusedAndUnfusedResidualsAgree() {
        assertSameComputation(GradNets_ResidualsNet.create(17), GradNets_ResidualsUnfusedNet.create(17), 4);
    }

    /** Same seed, same layers: the outputs, losses and gradients must match to float rounding. */
    private static void assertSameComputation(Model fused, Model unfused, int n) {
        assertEquals(fused.parameterCount(), unfused.parameterCount());
        float[] x = Fixtures.gaussian(n * fused.inputSize(), 11);
        float[] t = Fixtures.oneHot(n, fused.outputSize(), 12);
        double lossFused = run(fused, x, t, n);
        double lossUnfused = run(unfused, x, t, n);
        assertEquals(lossFused, lossUnfused, 1e-6);
        assertArrayEquals(fused.gradients().toArray(), unfused.gradients().toArray(), 1e-6f);
    }

    private static double run(Model m, float[] x, float[] t, int n) {
        m.setTraining(true);
        GradientCheck.load(m, x, t, n);
        m.state().reseedDropout(99);
        m.forward(n);
        double loss = m.loss(n);
        m.backward(n);
        return loss;
    }
}
