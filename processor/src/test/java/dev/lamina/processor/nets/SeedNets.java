package dev.lamina.processor.nets;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Init;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/** The seed material's small examples. */
public final class SeedNets {
    private SeedNets() {
    }

    /** XOR needs a hidden layer: 2-2-1 with sigmoids. */
    @Network(input = {2}, loss = Loss.SIGMOID_CROSS_ENTROPY)
    public abstract static class Xor {
        @Dense(units = 2, activation = Activation.TANH) Layer hidden;
        @Dense(units = 1) Layer out;
    }

    /** One threshold unit: AND and OR by setting its weights. */
    @Network(input = {2}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class Neuron {
        @Dense(units = 1, activation = Activation.STEP, init = Init.ZEROS) Layer unit;
    }

    /** The slides' 784-16-16-10 MLP. */
    @Network(input = {784})
    public abstract static class Mlp784 {
        @Dense(units = 16, activation = Activation.SIGMOID) Layer h1;
        @Dense(units = 16, activation = Activation.SIGMOID) Layer h2;
        @Dense(units = 10) Layer out;
    }

    /** Identity output over three scores, to read softmax through the loss. */
    @Network(input = {3})
    public abstract static class Scores {
        @Dense(units = 3, init = Init.ZEROS, bias = false) Layer out;
    }
}
