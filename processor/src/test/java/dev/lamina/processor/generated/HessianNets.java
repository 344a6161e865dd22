package dev.lamina.processor.generated;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Dropout;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/**
 * Networks the Hessian toolbox ({@code dev.lamina.runtime.analysis.hessian}) is checked on: small (the full
 * Hessian has W^2 elements) and smooth (tanh, sigmoid), so finite differences of the gradient have no kinks to
 * straddle.
 */
final class HessianNets {
    private HessianNets() {
    }

    /** One linear layer with the squared error: the Hessian is known in closed form ({@code X^T X / n} blocks). */
    @Network(input = {4}, loss = Loss.MEAN_SQUARED_ERROR)
    abstract static class Linear {
        @Dense(units = 3) Layer out;
    }

    /** One linear layer with the softmax cross-entropy: its logits are linear in the parameters. */
    @Network(input = {4})
    abstract static class LinearClassifier {
        @Dense(units = 3) Layer out;
    }

    /** Two layers of weights, a regression output. */
    @Network(input = {4}, loss = Loss.MEAN_SQUARED_ERROR)
    abstract static class TwoLayerRegression {
        @Dense(units = 5, activation = Activation.TANH) Layer hidden;
        @Dense(units = 3) Layer out;
    }

    /** Two layers of weights, a classifier. */
    @Network(input = {4})
    abstract static class TwoLayerClassifier {
        @Dense(units = 5, activation = Activation.SIGMOID) Layer hidden;
        @Dense(units = 3) Layer out;
    }

    /** Batch norm and dropout, whose training mode changes the function (and the running statistics). */
    @Network(input = {4})
    abstract static class Normalised {
        @Dense(units = 6, activation = Activation.TANH) Layer hidden;
        @BatchNorm Layer bn;
        @Dropout(rate = 0.3) Layer drop;
        @Dense(units = 3) Layer out;
    }
}
