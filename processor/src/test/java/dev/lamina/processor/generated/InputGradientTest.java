package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.GradNets_BottlenecksNet;
import dev.lamina.processor.nets.GradNets_BranchesNet;
import dev.lamina.processor.nets.GradNets_BranchesUnfusedNet;
import dev.lamina.processor.nets.GradNets_Convolved1dNet;
import dev.lamina.processor.nets.GradNets_ConvsNet;
import dev.lamina.processor.nets.GradNets_ConvsUnfusedNet;
import dev.lamina.processor.nets.GradNets_CustomBlocksNet;
import dev.lamina.processor.nets.GradNets_DecoderNet;
import dev.lamina.processor.nets.GradNets_DroppedNet;
import dev.lamina.processor.nets.GradNets_DroppedUnfusedNet;
import dev.lamina.processor.nets.GradNets_ElmanThenGatedNet;
import dev.lamina.processor.nets.GradNets_GatedThenElmanNet;
import dev.lamina.processor.nets.GradNets_GroupedNet;
import dev.lamina.processor.nets.GradNets_KinkedNet;
import dev.lamina.processor.nets.GradNets_LayerNormedNet;
import dev.lamina.processor.nets.GradNets_LayerNormedSequenceNet;
import dev.lamina.processor.nets.GradNets_LstmVariantsNet;
import dev.lamina.processor.nets.GradNets_MaxUnpooledNet;
import dev.lamina.processor.nets.GradNets_NormedNet;
import dev.lamina.processor.nets.GradNets_PooledNet;
import dev.lamina.processor.nets.GradNets_PooledUnfusedNet;
import dev.lamina.processor.nets.GradNets_RecurrentNet;
import dev.lamina.processor.nets.GradNets_ResidualsNet;
import dev.lamina.processor.nets.GradNets_ResidualsUnfusedNet;
import dev.lamina.processor.nets.GradNets_ResponseNormedNet;
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
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The gradient with respect to the input ({@code computeInputGradient(true)}, then a backward pass) against central
 * differences of the float32 loss, with {@link GradientCheck}'s derived limit, for a network of every layer kind,
 * in training and in inference mode; and that asking for it changes nothing else.
 */
class InputGradientTest {
    private static final double STEP = 1e-2;
    /** For ReLU and max pooling, whose kinks a central difference can straddle (see GradientCheckTest). */
    private static final double STEP_NEAR_KINKS = 1e-3;
    private static final double RELATIVE = 1e-2;

    /** A network of the suite, its batch, its targets, and whether it has kinks (1% of inputs may fail). */
    record Case(String name, LongFunction<Model> network, int n, float[] targets, boolean kinks) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> networks() {
        return Stream.of(
                new Case("smooth activations", GradNets_SmoothNet::create, 4, Fixtures.gaussian(4 * 3, 9), false),
                new Case("kinked activations", GradNets_KinkedNet::create, 5, Fixtures.uniform(5 * 4, 9), true),
                new Case("convolutions and pools", GradNets_ConvsNet::create, 3, Fixtures.oneHot(3, 3, 9), true),
                new Case("convolutions unfused", GradNets_ConvsUnfusedNet::create, 3, Fixtures.oneHot(3, 3, 9), true),
                new Case("batch norm", GradNets_NormedNet::create, 6, Fixtures.oneHot(6, 3, 9), false),
                new Case("layer norm", GradNets_LayerNormedNet::create, 3, Fixtures.oneHot(3, 3, 9), false),
                new Case("layer norm per step", GradNets_LayerNormedSequenceNet::create, 3,
                        Fixtures.gaussian(3 * 4 * 2, 9), false),
                new Case("response norm", GradNets_ResponseNormedNet::create, 3, Fixtures.oneHot(3, 3, 9), false),
                new Case("transposed convolutions", GradNets_DecoderNet::create, 2, Fixtures.gaussian(2 * 49, 9),
                        false),
                new Case("max unpooling", GradNets_MaxUnpooledNet::create, 3, Fixtures.oneHot(3, 3, 9), true),
                new Case("upsampling", GradNets_UpsampledSkipNet::create, 2, Fixtures.oneHot(2, 3, 9), false),
                new Case("1-d convolutions", GradNets_Convolved1dNet::create, 3, Fixtures.oneHot(3, 3, 9), false),
                new Case("grouped convolutions", GradNets_GroupedNet::create, 3, Fixtures.oneHot(3, 3, 9), false),
                new Case("fused dropout", GradNets_DroppedNet::create, 4, Fixtures.oneHot(4, 4, 9), false),
                new Case("dropout", GradNets_DroppedUnfusedNet::create, 4, Fixtures.oneHot(4, 4, 9), false),
                new Case("fused max pools", GradNets_PooledNet::create, 3, Fixtures.oneHot(3, 3, 9), true),
                new Case("max pools", GradNets_PooledUnfusedNet::create, 3, Fixtures.oneHot(3, 3, 9), true),
                new Case("wide rows", GradNets_WideRowsNet::create, 3, Fixtures.oneHot(3, 3, 9), true),
                new Case("wide rows unfused", GradNets_WideRowsUnfusedNet::create, 3, Fixtures.oneHot(3, 3, 9), true),
                new Case("lstm", GradNets_RecurrentNet::create, 3, Fixtures.oneHot(3, 3, 9), false),
                new Case("gru into elman", GradNets_GatedThenElmanNet::create, 3, Fixtures.oneHot(3, 3, 9), false),
                new Case("elman into gru", GradNets_ElmanThenGatedNet::create, 3, Fixtures.gaussian(3 * 2, 9), false),
                new Case("stacked lstms", GradNets_StackedRecurrentNet::create, 3, Fixtures.gaussian(3 * 2, 9), false),
                new Case("residual stages", GradNets_ResidualsNet::create, 4, Fixtures.oneHot(4, 3, 9), true),
                new Case("residual stages unfused", GradNets_ResidualsUnfusedNet::create, 4, Fixtures.oneHot(4, 3, 9),
                        true),
                new Case("bottlenecks", GradNets_BottlenecksNet::create, 3, Fixtures.gaussian(3 * 2, 9), false),
                new Case("branches, concatenation, add", GradNets_BranchesNet::create, 3, Fixtures.oneHot(3, 3, 9),
                        true),
                new Case("branches unfused", GradNets_BranchesUnfusedNet::create, 3, Fixtures.oneHot(3, 3, 9), true),
                new Case("custom blocks", GradNets_CustomBlocksNet::create, 4, Fixtures.oneHot(4, 3, 9), false),
                new Case("lenet", LeNet5Net::create, 2, Fixtures.oneHot(2, 10, 9), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void inTraining(Case c) {
        assertInputGradient(c, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void inInference(Case c) {
        assertInputGradient(c, false);
    }

    private static void assertInputGradient(Case c, boolean training) {
        Model m = c.network().apply(41);
        m.setTraining(training);
        float[] x = Fixtures.gaussian(c.n() * m.inputSize(), 3);
        int stride = Math.max(1, c.n() * m.inputSize() / 400);
        GradientCheck.Result r = GradientCheck.checkInput(m, x, c.targets(), c.n(),
                c.kinks() ? STEP_NEAR_KINKS : STEP, stride, RELATIVE);
        assertTrue(c.kinks() ? r.failed() <= Math.max(1, r.checked() / 100) : r.passed(), c.name() + ": " + r);
    }

    @Test
    void askingForTheInputGradientChangesNoParameterGradient() {
        for (Case c : networks().toList()) {
            Model plain = c.network().apply(5);
            Model asking = c.network().apply(5);
            float[] x = Fixtures.gaussian(c.n() * plain.inputSize(), 3);
            for (Model m : List.of(plain, asking)) {
                m.setTraining(true);
                GradientCheck.load(m, x, c.targets(), c.n());
                GradientCheck.loss(m, c.n());
            }
            asking.computeInputGradient(true);
            plain.backward(c.n());
            asking.backward(c.n());
            assertArrayEquals(plain.gradients().toArray(), asking.gradients().toArray(), c.name());
            assertEquals(c.n() * plain.inputSize(), asking.inputGradient().length);
            assertThrows(IllegalStateException.class, plain::inputGradient, c.name());
        }
    }

    @Test
    void tokenInputsHaveNoGradient() {
        Model m = GradNets_TokensNet.create(1);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> m.computeInputGradient(true));
        assertTrue(e.getMessage().contains("token ids"), e.getMessage());
    }
}
