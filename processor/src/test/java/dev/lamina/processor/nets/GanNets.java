package dev.lamina.processor.nets;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/** A GAN for the 1-D toy (noise to N(4, 0.5)), and a discriminator the trainer must refuse. */
public final class GanNets {
    private GanNets() {
    }

    /** Two noise values to one sample: the tanh layer can bend uniform noise into a bell. */
    @Network(input = {2}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class ToyGenerator {
        @Dense(units = 16, activation = Activation.TANH) Layer hidden;
        @Dense(units = 16, activation = Activation.TANH) Layer hidden2;
        @Dense(units = 1) Layer sample;
    }

    /** One sample to one logit (real 1, generated 0). */
    @Network(input = {1}, loss = Loss.SIGMOID_CROSS_ENTROPY)
    public abstract static class ToyDiscriminator {
        @Dense(units = 32, activation = Activation.LEAKY_RELU, alpha = 0.2) Layer hidden;
        @Dense(units = 32, activation = Activation.LEAKY_RELU, alpha = 0.2) Layer hidden2;
        @Dense(units = 1) Layer logit;
    }

    /** Two softmax scores: not a discriminator's one logit. */
    @Network(input = {1})
    public abstract static class TwoScores {
        @Dense(units = 2) Layer scores;
    }
}
