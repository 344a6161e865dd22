package dev.lamina.processor.generated;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Flatten;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.runtime.Layer;

/**
 * Networks the input-gradient tools ({@code dev.lamina.runtime.analysis}) are checked on: smooth everywhere (tanh,
 * sigmoid, average pools), so central differences have no kinks to straddle, and unfused, so every layer keeps an
 * output to read and to add gradients at.
 */
final class AnalysisNets {
    private AnalysisNets() {
    }

    /**
     * Dense layers with activations smooth everywhere (GradNets.Smooth has ELU and SELU, whose derivatives jump or
     * bend at 0, where a central difference can straddle them), a regression output.
     */
    @Network(input = {5}, loss = Loss.MEAN_SQUARED_ERROR)
    abstract static class SmoothDense {
        @Dense(units = 6, activation = Activation.SIGMOID) Layer a;
        @Dense(units = 6, activation = Activation.TANH) Layer b;
        @Dense(units = 6, activation = Activation.SOFTPLUS) Layer c;
        @Dense(units = 3, activation = Activation.TANH) Layer out;
    }

    /** A two-channel image classifier. */
    @Network(input = {2, 6, 6}, fuse = false)
    abstract static class SmoothConv {
        @Conv(filters = 4, kernel = 3, padding = 1, activation = Activation.TANH) Layer c1;
        @Pool(kind = PoolKind.AVERAGE, kernel = 2) Layer p1;
        @Conv(filters = 5, kernel = 3, padding = 1, activation = Activation.SIGMOID) Layer c2;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    /** An RGB network with three convolutions, for style transfer's content and style layers. */
    @Network(input = {3, 8, 8}, fuse = false)
    abstract static class Rgb {
        @Conv(filters = 6, kernel = 3, padding = 1, activation = Activation.TANH) Layer c1;
        @Conv(filters = 6, kernel = 3, padding = 1, activation = Activation.TANH) Layer c2;
        @Pool(kind = PoolKind.AVERAGE, kernel = 2) Layer p1;
        @Conv(filters = 8, kernel = 3, padding = 1, activation = Activation.TANH) Layer c3;
        @Flatten Layer flat;
        @Dense(units = 2) Layer out;
    }
}
