package dev.lamina.processor.nets;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.ConvTranspose;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Flatten;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Reshape;
import dev.lamina.runtime.Layer;

/** Networks with {@code @Reshape}: a DCGAN-style generator, and a pair that differ only by a reshape. */
public final class ReshapeNets {
    private ReshapeNets() {
    }

    /**
     * Dense, reshape to an image, a transposed convolution that doubles it, then the image read as a sequence of
     * its rows (each row's (w, c) values a step) for a Dense at every step.
     */
    @Network(input = {6}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class Generator {
        @Dense(units = 3 * 4 * 4, activation = Activation.TANH) Layer project;
        @Reshape({3, 4, 4}) Layer image;
        @ConvTranspose(filters = 2, kernel = 4, stride = 2, padding = 1, activation = Activation.TANH) Layer up;
        @Reshape({8, 16}) Layer rows;
        @Dense(units = 3, activation = Activation.TANH) Layer perRow;
    }

    /** A reshape and a flatten back: the same network as {@link Direct}. */
    @Network(input = {5})
    public abstract static class RoundTrip {
        @Dense(units = 2 * 3 * 2, activation = Activation.TANH) Layer hidden;
        @Reshape({2, 3, 2}) Layer image;
        @Flatten Layer flat;
        @Dense(units = 4) Layer out;
    }

    @Network(input = {5})
    public abstract static class Direct {
        @Dense(units = 2 * 3 * 2, activation = Activation.TANH) Layer hidden;
        @Dense(units = 4) Layer out;
    }
}
