package dev.lamina.processor.nets;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/** Networks for the metrics tests: a binary output of one sigmoid unit, which the other nets lack. */
public final class MetricsNets {
    private MetricsNets() {
    }

    /** A binary classifier: 4 features, one sigmoid unit. */
    @Network(input = {4}, loss = Loss.SIGMOID_CROSS_ENTROPY)
    public abstract static class Binary {
        @Dense(units = 8, activation = Activation.RELU) Layer hidden;
        @Dense(units = 1) Layer out;
    }
}
