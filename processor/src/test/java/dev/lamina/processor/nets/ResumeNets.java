package dev.lamina.processor.nets;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Dropout;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/** Networks for the training-checkpoint tests: random masks and running statistics, so that every state counts. */
public final class ResumeNets {
    private ResumeNets() {
    }

    /** 4 features, 3 classes, with batch norm (running statistics) and dropout (masks drawn every step). */
    @Network(input = {4})
    public abstract static class Dropped {
        @Dense(units = 16, activation = Activation.RELU) Layer hidden;
        // dropout before the batch norm: the GPU path fuses a dropout into a dense layer, not into a batch norm
        @Dropout(rate = 0.3) Layer drop;
        @BatchNorm Layer norm;
        @Dense(units = 3) Layer out;
    }
}
