package dev.lamina.processor.nets;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.ConvTranspose;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Reshape;
import dev.lamina.runtime.Layer;

/**
 * Networks cut in two for {@code Chain}: each pair ({@code XFront}, {@code XBack}) has the layers of the whole
 * network {@code X}, with the same field names, so that the parameters copy by tensor name. The front's loss is
 * never used (a chain takes the last model's).
 */
public final class ChainNets {
    private ChainNets() {
    }

    /** Dense layers, softmax cross-entropy: the cut is a vector. */
    @Network(input = {4}, loss = Loss.SOFTMAX_CROSS_ENTROPY)
    public abstract static class Dense2 {
        @Dense(units = 5, activation = Activation.TANH) Layer a;
        @Dense(units = 6, activation = Activation.SIGMOID) Layer b;
        @Dense(units = 3) Layer out;
    }

    @Network(input = {4}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class Dense2Front {
        @Dense(units = 5, activation = Activation.TANH) Layer a;
    }

    @Network(input = {5}, loss = Loss.SOFTMAX_CROSS_ENTROPY)
    public abstract static class Dense2Back {
        @Dense(units = 6, activation = Activation.SIGMOID) Layer b;
        @Dense(units = 3) Layer out;
    }

    /** {@link Dense2} in three: the middle model's only layer. */
    @Network(input = {5}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class Dense2Middle {
        @Dense(units = 6, activation = Activation.SIGMOID) Layer b;
    }

    @Network(input = {6}, loss = Loss.SOFTMAX_CROSS_ENTROPY)
    public abstract static class Dense2Last {
        @Dense(units = 3) Layer out;
    }

    /** Convolutions, mean squared error: the cut is a 3-channel image (stored channels last). */
    @Network(input = {2, 6, 6}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class Convs {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer c1;
        @Conv(filters = 4, kernel = 3, stride = 2, padding = 1, activation = Activation.ELU) Layer c2;
        @Dense(units = 2) Layer out;
    }

    @Network(input = {2, 6, 6}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class ConvsFront {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer c1;
    }

    @Network(input = {3, 6, 6}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class ConvsBack {
        @Conv(filters = 4, kernel = 3, stride = 2, padding = 1, activation = Activation.ELU) Layer c2;
        @Dense(units = 2) Layer out;
    }

    /**
     * A small DCGAN pair, sigmoid cross-entropy on one logit: a generator (dense, reshape, transposed convolution,
     * batch norm) whose output is a 2-channel image, and a discriminator (strided convolution, leaky ReLU).
     */
    @Network(input = {3}, loss = Loss.SIGMOID_CROSS_ENTROPY)
    public abstract static class Gan {
        @Dense(units = 3 * 4 * 4, activation = Activation.TANH) Layer project;
        @Reshape({3, 4, 4}) Layer image;
        @ConvTranspose(filters = 2, kernel = 4, stride = 2, padding = 1) Layer up;
        @BatchNorm(activation = Activation.TANH) Layer norm;
        @Conv(filters = 3, kernel = 3, stride = 2, padding = 1, activation = Activation.LEAKY_RELU, alpha = 0.2)
        Layer down;
        @Dense(units = 1) Layer logit;
    }

    @Network(input = {3}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class GanFront {
        @Dense(units = 3 * 4 * 4, activation = Activation.TANH) Layer project;
        @Reshape({3, 4, 4}) Layer image;
        @ConvTranspose(filters = 2, kernel = 4, stride = 2, padding = 1) Layer up;
        @BatchNorm(activation = Activation.TANH) Layer norm;
    }

    @Network(input = {2, 8, 8}, loss = Loss.SIGMOID_CROSS_ENTROPY)
    public abstract static class GanBack {
        @Conv(filters = 3, kernel = 3, stride = 2, padding = 1, activation = Activation.LEAKY_RELU, alpha = 0.2)
        Layer down;
        @Dense(units = 1) Layer logit;
    }

    /** Takes 7 values: does not fit after {@link Dense2Front}'s 5. */
    @Network(input = {7})
    public abstract static class Seven {
        @Dense(units = 2) Layer out;
    }
}
