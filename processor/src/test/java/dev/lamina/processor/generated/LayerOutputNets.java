package dev.lamina.processor.generated;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Dropout;
import dev.lamina.dsl.Flatten;
import dev.lamina.dsl.LSTM;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.Residual;
import dev.lamina.runtime.Layer;

/** Networks whose layer outputs {@link LayerOutputTest} reads (outside nets/: no device checks needed). */
final class LayerOutputNets {
    private LayerOutputNets() {
    }

    @Network(input = {3})
    abstract static class Dense2 {
        @Dense(units = 4, activation = Activation.TANH) Layer hidden;
        @Dense(units = 2) Layer out;
    }

    /** A 1x1 convolution (computable by hand), its flatten, and a Dense. */
    @Network(input = {2, 3, 2})
    abstract static class Image {
        @Conv(filters = 3, kernel = 1) Layer conv;
        @Flatten Layer flat;
        @Dense(units = 2) Layer out;
    }

    /** The last layer is an image: its output through the view equals predict's, channels last. */
    @Network(input = {2, 3, 2}, loss = Loss.MEAN_SQUARED_ERROR)
    abstract static class ImageOut {
        @Conv(filters = 3, kernel = 1, activation = Activation.TANH) Layer conv;
        @Conv(filters = 2, kernel = 3, padding = 1) Layer last;
    }

    @Network(input = {1, 4, 4})
    abstract static class Pooled {
        @Conv(filters = 2, kernel = 3, padding = 1) Layer conv;
        @Pool(kernel = 2, stride = 2) Layer pool;
        @Dense(units = 2) Layer out;
    }

    @Network(input = {1, 4, 4}, fuse = false)
    abstract static class PooledUnfused {
        @Conv(filters = 2, kernel = 3, padding = 1) Layer conv;
        @Pool(kernel = 2, stride = 2) Layer pool;
        @Dense(units = 2) Layer out;
    }

    @Network(input = {3})
    abstract static class Dropped {
        @Dense(units = 6) Layer hidden;
        @Dropout(rate = 0.5) Layer drop;
        @Dense(units = 2) Layer out;
    }

    /** A residual stage (its batch norms folded into the add): the field reads the stage's last output. */
    @Network(input = {2, 4, 4}, loss = Loss.MEAN_SQUARED_ERROR)
    abstract static class Stage {
        @Residual(filters = 3) Layer stage;
    }

    /** A sequence output, [steps, features] step-major as stored. */
    @Network(input = {2}, steps = 3, loss = Loss.MEAN_SQUARED_ERROR)
    abstract static class Sequence {
        @LSTM(units = 4, returnSequences = true) Layer lstm;
        @Dense(units = 2) Layer out;
    }
}
