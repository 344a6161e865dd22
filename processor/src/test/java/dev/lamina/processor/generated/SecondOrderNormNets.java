package dev.lamina.processor.generated;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.LayerNorm;
import dev.lamina.dsl.LocalResponseNorm;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/**
 * Networks with normalisations declared {@code @Network(secondOrder = true)}, whose generated R-passes
 * {@code SecondOrderNormTest} checks: batch norm on vectors with a fused activation (after a layer, on the
 * network's input, with no activation), layer norm on vectors and on every step of a sequence, and local response
 * normalisation on an image after a batch norm over its positions. Smooth activations throughout, so finite
 * differences of the gradient are a fair reference; no convolutions (their R-rules are another part of issue 18).
 */
final class SecondOrderNormNets {
    private SecondOrderNormNets() {
    }

    /** Dense, then batch norm with a fused tanh, then the classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class BatchNormTanh {
        @Dense(units = 5, activation = Activation.TANH) Layer h1;
        @BatchNorm(activation = Activation.TANH) Layer bn;
        @Dense(units = 3) Layer out;
    }

    /** Batch norm on the network's input (a sigmoid fused), then a plain batch norm between two Dense layers. */
    @Network(input = {4}, loss = Loss.MEAN_SQUARED_ERROR, secondOrder = true)
    abstract static class BatchNormOnInput {
        @BatchNorm(activation = Activation.SIGMOID) Layer bn0;
        @Dense(units = 5, activation = Activation.SOFTPLUS) Layer h1;
        @BatchNorm Layer bn1;
        @Dense(units = 2, activation = Activation.TANH) Layer out;
    }

    /** Dense, then layer norm with a fused tanh, then the classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class LayerNormTanh {
        @Dense(units = 6, activation = Activation.TANH) Layer h1;
        @LayerNorm(activation = Activation.TANH) Layer ln;
        @Dense(units = 3) Layer out;
    }

    /** Layer norm on every step of a sequence (and on the input's steps), the softmax at every step. */
    @Network(input = {3}, steps = 4, secondOrder = true)
    abstract static class LayerNormSteps {
        @LayerNorm(activation = Activation.SOFTPLUS) Layer ln0;
        @Dense(units = 5, activation = Activation.SIGMOID) Layer h1;
        @LayerNorm Layer ln1;
        @Dense(units = 3) Layer out;
    }

    /**
     * Batch norm over an image's positions (a tanh fused), then two local response normalisations, windows of 3
     * and of 4 (uneven), then the classifier.
     */
    @Network(input = {5, 2, 2}, secondOrder = true)
    abstract static class ResponseNormed {
        @BatchNorm(activation = Activation.TANH) Layer bn;
        @LocalResponseNorm(size = 3, alpha = 0.5, beta = 0.75, k = 1.0) Layer lrn3;
        @LocalResponseNorm(size = 4, alpha = 0.8, beta = 0.5, k = 2.0) Layer lrn4;
        @Dense(units = 3) Layer out;
    }
}
