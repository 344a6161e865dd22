package dev.lamina.processor.nets;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/** Networks for the "fail loudly" tests: training that diverges must stop with an error. */
public final class FailLoudNets {
    private FailLoudNets() {
    }

    /** A small classifier: 4 features, 3 classes. */
    @Network(input = {4})
    public abstract static class Small {
        @Dense(units = 16, activation = Activation.RELU) Layer hidden;
        @Dense(units = 3) Layer out;
    }

    /** The same with a linear hidden layer: at a huge learning rate its scores grow until they overflow. */
    @Network(input = {4})
    public abstract static class Linear {
        @Dense(units = 16, activation = Activation.IDENTITY) Layer hidden;
        @Dense(units = 3) Layer out;
    }
}
