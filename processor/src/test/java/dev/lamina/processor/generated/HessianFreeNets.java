package dev.lamina.processor.generated;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/** Networks {@code HessianFreeTest} trains with the Hessian-free optimizer, and one it must refuse. */
final class HessianFreeNets {
    private HessianFreeNets() {
    }

    /** One linear layer with the squared error: the loss is a quadratic of the parameters. */
    @Network(input = {4}, loss = Loss.MEAN_SQUARED_ERROR, secondOrder = true)
    abstract static class Quadratic {
        @Dense(units = 3) Layer out;
    }

    /** A small tanh classifier under the softmax cross-entropy. */
    @Network(input = {4}, secondOrder = true)
    abstract static class Classifier {
        @Dense(units = 8, activation = Activation.TANH) Layer hidden;
        @Dense(units = 3) Layer out;
    }

    /** The same classifier without the generated R-passes. */
    @Network(input = {4})
    abstract static class FirstOrder {
        @Dense(units = 8, activation = Activation.TANH) Layer hidden;
        @Dense(units = 3) Layer out;
    }
}
