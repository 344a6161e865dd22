package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.ChainNets_ConvsBackNet;
import dev.lamina.processor.nets.ChainNets_ConvsFrontNet;
import dev.lamina.processor.nets.ChainNets_ConvsNet;
import dev.lamina.processor.nets.ChainNets_Dense2BackNet;
import dev.lamina.processor.nets.ChainNets_Dense2FrontNet;
import dev.lamina.processor.nets.ChainNets_Dense2LastNet;
import dev.lamina.processor.nets.ChainNets_Dense2MiddleNet;
import dev.lamina.processor.nets.ChainNets_Dense2Net;
import dev.lamina.processor.nets.ChainNets_GanBackNet;
import dev.lamina.processor.nets.ChainNets_GanFrontNet;
import dev.lamina.processor.nets.ChainNets_GanNet;
import dev.lamina.processor.nets.ChainNets_SevenNet;
import dev.lamina.runtime.Chain;
import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Chain}: two chained networks against one network holding both halves' layers with the same parameters
 * (loss, outputs, every parameter gradient, the input gradient), for a cut at a vector, at a 3-channel image and
 * in a DCGAN pair (reshape, transposed convolution, batch norm), and three chained networks; and a backward pass from a gradient built by hand
 * against the built-in loss's backward, for each loss.
 */
class ChainTest {
    /** Gradients of the same sums in another order of float operations: agreement to float rounding. */
    private static final double RELATIVE = 1e-5;
    private static final int ROWS = 5;

    /** A network, its parts in order (two, or three), and targets for it. */
    record Split(String name, LongFunction<Model> whole, List<LongFunction<Model>> parts, float[] targets) {
        Split(String name, LongFunction<Model> whole, LongFunction<Model> front, LongFunction<Model> back,
              float[] targets) {
            this(name, whole, List.of(front, back), targets);
        }


        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Split> splits() {
        return Stream.of(
                new Split("dense, softmax cross-entropy", ChainNets_Dense2Net::create, ChainNets_Dense2FrontNet::create,
                        ChainNets_Dense2BackNet::create, Fixtures.oneHot(ROWS, 3, 4)),
                new Split("dense in three models", ChainNets_Dense2Net::create, List.of(
                        ChainNets_Dense2FrontNet::create, ChainNets_Dense2MiddleNet::create,
                        ChainNets_Dense2LastNet::create), Fixtures.oneHot(ROWS, 3, 4)),
                new Split("convolutions, image cut, mean squared error", ChainNets_ConvsNet::create,
                        ChainNets_ConvsFrontNet::create, ChainNets_ConvsBackNet::create,
                        Fixtures.gaussian(ROWS * 2, 4)),
                new Split("DCGAN pair, sigmoid cross-entropy", ChainNets_GanNet::create, ChainNets_GanFrontNet::create,
                        ChainNets_GanBackNet::create, Fixtures.uniform(ROWS, 4)));
    }

    static Stream<Object[]> splitsInBothModes() {
        return splits().flatMap(s -> Stream.of(new Object[] {s, true}, new Object[] {s, false}));
    }

    @ParameterizedTest(name = "{0}, training {1}")
    @MethodSource("splitsInBothModes")
    void twoChainedNetworksGiveTheGradientsOfOneHoldingBoth(Split split, boolean training) {
        Model whole = split.whole().apply(1);
        List<Model> parts = new ArrayList<>();
        for (int i = 0; i < split.parts().size(); i++) {
            Model part = split.parts().get(i).apply(2 + i);
            copyByName(whole, part);
            parts.add(part);
        }
        Model front = parts.get(0);
        float[] x = Fixtures.gaussian(ROWS * whole.inputSize(), 5);

        whole.setTraining(training);
        whole.computeInputGradient(true);
        whole.reserve(ROWS);
        for (int r = 0; r < ROWS; r++) {
            whole.setInput(r, x, r * whole.inputSize());
            whole.setTarget(r, split.targets(), r * whole.outputSize());
        }
        whole.forward(ROWS);
        double wholeLoss = whole.loss(ROWS);
        whole.backward(ROWS);

        Chain chain = Chain.of(parts);
        chain.setTraining(training);
        chain.computeInputGradient(true);
        chain.reserve(ROWS);
        for (int r = 0; r < ROWS; r++) {
            chain.setInput(r, x, r * chain.inputSize());
            chain.setTarget(r, split.targets(), r * chain.outputSize());
        }
        chain.forward(ROWS);
        double chainLoss = chain.loss(ROWS);
        chain.backward(ROWS);

        assertEquals(wholeLoss, chainLoss, 1e-6 * Math.max(1, Math.abs(wholeLoss)), "loss");
        List<Layer> frontLayers = front.layers();
        assertArrayEquals(frontLayers.get(frontLayers.size() - 1).output().copy(), Chain.outputs(front, ROWS),
                "what the chain hands on: the front's last layer's output, channels first");
        for (int r = 0; r < ROWS; r++) {
            for (int k = 0; k < whole.outputSize(); k++) {
                assertEquals(whole.output(r, k), chain.output(r, k), 1e-5, "output " + r + ", " + k);
            }
        }
        int compared = 0;
        for (Model part : parts) {
            for (Layer layer : part.layers()) {
                Layer same = layer(whole, layer.name());
                for (int t = 0; t < layer.gradients().size(); t++) {
                    Tensor g = layer.gradients().get(t);
                    assertClose(same.gradients().get(t).toArray(), g.toArray(), g.name());
                    compared++;
                }
            }
        }
        assertEquals(whole.parameterTensors().size(), compared, "every parameter tensor of the whole compared");
        assertClose(whole.inputGradient(), chain.inputGradient(), "input gradient");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void backwardFromAGradientBuiltByHandEqualsTheBuiltInLoss(Split split) {
        List<Model> parts = new ArrayList<>();
        for (int i = 0; i < split.parts().size(); i++) {
            parts.add(split.parts().get(i).apply(2 + i));
        }
        Model back = parts.get(parts.size() - 1);
        Chain chain = Chain.of(parts);
        float[] x = Fixtures.gaussian(ROWS * chain.inputSize(), 6);
        chain.reserve(ROWS);
        for (int r = 0; r < ROWS; r++) {
            chain.setInput(r, x, r * chain.inputSize());
            chain.setTarget(r, split.targets(), r * chain.outputSize());
        }
        chain.setTraining(false); // batch norm's running statistics: both passes see the same network
        chain.forward(ROWS);
        chain.loss(ROWS);
        chain.backward(ROWS);
        List<float[]> builtIn = new ArrayList<>();
        for (Model part : parts) {
            builtIn.add(part.gradients().toArray());
        }

        chain.forward(ROWS);
        chain.backward(ROWS, lossGradient(back, split.targets()));
        for (int i = 0; i < parts.size(); i++) {
            assertClose(builtIn.get(i), parts.get(i).gradients().toArray(), "model " + i + "'s gradients");
        }

        // the same on the last model alone, without a chain
        back.forward(ROWS);
        back.backward(ROWS, lossGradient(back, split.targets()));
        assertClose(builtIn.get(parts.size() - 1), back.gradients().toArray(), "last model alone");
    }

    @Test
    void refusesModelsWhoseSizesDoNotMeet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Chain.of(ChainNets_Dense2FrontNet.create(1), ChainNets_SevenNet.create(1)));
        assertTrue(e.getMessage().contains("[7] = 7 values") && e.getMessage().contains("found [5] = 5"),
                e.getMessage());
        Model one = ChainNets_Dense2FrontNet.create(1);
        assertThrows(IllegalArgumentException.class, () -> Chain.of(one));
        assertThrows(IllegalArgumentException.class, () -> Chain.of(one, one));
    }

    @Test
    void refusesABackwardPassWithoutItsForwardPass() {
        Chain chain = Chain.of(ChainNets_Dense2FrontNet.create(1), ChainNets_Dense2BackNet.create(1));
        chain.reserve(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> chain.backward(2, new float[6]));
        assertTrue(e.getMessage().contains("forward(2)"), e.getMessage());
    }

    @Test
    void leavesTheModelsInputGradientSettingsAsItFoundThem() {
        Model front = ChainNets_Dense2FrontNet.create(1);
        Model back = ChainNets_Dense2BackNet.create(1);
        Chain chain = Chain.of(front, back);
        chain.reserve(2);
        float[] x = Fixtures.gaussian(8, 1);
        chain.setInput(0, x, 0);
        chain.setInput(1, x, 4);
        chain.forward(2);
        chain.backward(2, new float[] {1, 0, 0, 0, 1, 0});
        assertTrue(!back.state().computesInputGradient() && !front.state().computesInputGradient(),
                "the chain turned input gradients on for its pass only");
        assertThrows(IllegalStateException.class, chain::inputGradient, "not asked for the first model's");
    }

    /** The gradient of the mean loss at the last model's outputs, computed here from its formula. */
    private static float[] lossGradient(Model model, float[] targets) {
        int k = model.outputSize();
        float[] g = new float[ROWS * k];
        for (int r = 0; r < ROWS; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, model.output(r, j));
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(model.output(r, j) - max);
            }
            for (int j = 0; j < k; j++) {
                double y = model.output(r, j);
                double t = targets[r * k + j];
                double d = switch (model.lossKind()) {
                    case SOFTMAX_CROSS_ENTROPY -> Math.exp(y - max) / sum - t;
                    case SIGMOID_CROSS_ENTROPY -> 1 / (1 + Math.exp(-y)) - t;
                    case MEAN_SQUARED_ERROR -> y - t;
                };
                g[r * k + j] = (float) (d / ROWS);
            }
        }
        return g;
    }

    /** Copies every parameter and buffer of {@code from} whose name {@code to} has too. */
    private static void copyByName(Model from, Model to) {
        List<Tensor> all = new ArrayList<>(to.parameterTensors());
        all.addAll(to.bufferTensors());
        List<Tensor> source = new ArrayList<>(from.parameterTensors());
        source.addAll(from.bufferTensors());
        for (Tensor t : all) {
            Tensor s = source.stream().filter(u -> u.name().equals(t.name())).findFirst()
                    .orElseThrow(() -> new AssertionError(t.name() + " missing from " + from.name()));
            t.copyFrom(s.toArray());
        }
        to.parametersChanged();
    }

    private static Layer layer(Model model, String name) {
        return model.layers().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no layer " + name + " in " + model.name()));
    }

    /** Equal to {@link #RELATIVE} of the larger array's largest magnitude, element by element. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1e-12;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], RELATIVE * scale, what + " [" + i + "]");
        }
        assertTrue(scale > 1e-9, what + ": all zero, which compares nothing");
    }
}
