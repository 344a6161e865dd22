package dev.lamina.processor.generated;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Flatten;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Precision;
import dev.lamina.dsl.Reshape;
import dev.lamina.runtime.Layer;

/**
 * Networks declared {@code @Network(secondOrder = true)}, whose generated R-passes {@code SecondOrderTest} checks:
 * two hidden Dense layers of each activation the runtime has (a classifier), each loss, views, and a linear
 * layer whose Hessian is known in closed form. {@code ReferenceMlp} mirrors them in double.
 */
final class SecondOrderNets {
    private SecondOrderNets() {
    }

    /** One linear layer with the squared error: the Hessian is {@code X^T X / n} per output unit. */
    @Network(input = {4}, loss = Loss.MEAN_SQUARED_ERROR, secondOrder = true)
    abstract static class Linear {
        @Dense(units = 3) Layer out;
    }

    /** {@link Linear} with its products in double. */
    @Network(input = {4}, loss = Loss.MEAN_SQUARED_ERROR, secondOrder = true, secondOrderPrecision = Precision.DOUBLE)
    abstract static class LinearInDouble {
        @Dense(units = 3) Layer out;
    }

    /** A regression: tanh, then a sigmoid output under the squared error (the output's own h'' counts). */
    @Network(input = {4}, loss = Loss.MEAN_SQUARED_ERROR, secondOrder = true)
    abstract static class Regression {
        @Dense(units = 5, activation = Activation.TANH) Layer h1;
        @Dense(units = 3, activation = Activation.SIGMOID) Layer out;
    }

    /** Independent binary outputs under the sigmoid cross-entropy. */
    @Network(input = {4}, loss = Loss.SIGMOID_CROSS_ENTROPY, secondOrder = true)
    abstract static class Binary {
        @Dense(units = 5, activation = Activation.SOFTPLUS) Layer h1;
        @Dense(units = 3) Layer out;
    }

    /** The softmax cross-entropy with label smoothing, and a layer without bias. */
    @Network(input = {4}, labelSmoothing = 0.1, secondOrder = true)
    abstract static class Smoothed {
        @Dense(units = 5, activation = Activation.ELU, bias = false) Layer h1;
        @Dense(units = 3) Layer out;
    }

    /** Dense layers on each step of a sequence, the softmax cross-entropy taken at every step. */
    @Network(input = {3}, steps = 4, secondOrder = true)
    abstract static class Stepwise {
        @Dense(units = 5, activation = Activation.TANH) Layer h1;
        @Dense(units = 3) Layer out;
    }

    /** Dense layers on each step of a sequence under the squared error over the whole output. */
    @Network(input = {3}, steps = 4, loss = Loss.MEAN_SQUARED_ERROR, secondOrder = true)
    abstract static class StepwiseRegression {
        @Dense(units = 5, activation = Activation.SIGMOID) Layer h1;
        @Dense(units = 2) Layer out;
    }

    /** Views: an image flattened implicitly, a reshape to a sequence and a flatten back. */
    @Network(input = {2, 2, 2}, secondOrder = true)
    abstract static class Views {
        @Dense(units = 6, activation = Activation.TANH) Layer h1;
        @Reshape({2, 3}) Layer seq;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    /** Two hidden layers of IDENTITY, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class HiddenIdentity {
        @Dense(units = 5, activation = Activation.IDENTITY) Layer h1;
        @Dense(units = 4, activation = Activation.IDENTITY) Layer h2;
        @Dense(units = 3) Layer out;
    }

    /** Two hidden layers of SIGMOID, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class HiddenSigmoid {
        @Dense(units = 5, activation = Activation.SIGMOID) Layer h1;
        @Dense(units = 4, activation = Activation.SIGMOID) Layer h2;
        @Dense(units = 3) Layer out;
    }

    /** Two hidden layers of TANH, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class HiddenTanh {
        @Dense(units = 5, activation = Activation.TANH) Layer h1;
        @Dense(units = 4, activation = Activation.TANH) Layer h2;
        @Dense(units = 3) Layer out;
    }

    /** {@link HiddenTanh} with its products in double. */
    @Network(input = {4}, secondOrder = true, secondOrderPrecision = Precision.DOUBLE)
    abstract static class HiddenTanhInDouble {
        @Dense(units = 5, activation = Activation.TANH) Layer h1;
        @Dense(units = 4, activation = Activation.TANH) Layer h2;
        @Dense(units = 3) Layer out;
    }

    /** Two hidden layers of RELU, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class HiddenRelu {
        @Dense(units = 5, activation = Activation.RELU) Layer h1;
        @Dense(units = 4, activation = Activation.RELU) Layer h2;
        @Dense(units = 3) Layer out;
    }

    /** Two hidden layers of LEAKY_RELU, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class HiddenLeakyRelu {
        @Dense(units = 5, activation = Activation.LEAKY_RELU) Layer h1;
        @Dense(units = 4, activation = Activation.LEAKY_RELU) Layer h2;
        @Dense(units = 3) Layer out;
    }

    /** Two hidden layers of ELU, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class HiddenElu {
        @Dense(units = 5, activation = Activation.ELU) Layer h1;
        @Dense(units = 4, activation = Activation.ELU) Layer h2;
        @Dense(units = 3) Layer out;
    }

    /** Two hidden layers of SELU, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class HiddenSelu {
        @Dense(units = 5, activation = Activation.SELU) Layer h1;
        @Dense(units = 4, activation = Activation.SELU) Layer h2;
        @Dense(units = 3) Layer out;
    }

    /** Two hidden layers of SOFTPLUS, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class HiddenSoftplus {
        @Dense(units = 5, activation = Activation.SOFTPLUS) Layer h1;
        @Dense(units = 4, activation = Activation.SOFTPLUS) Layer h2;
        @Dense(units = 3) Layer out;
    }

    /** Two hidden layers of RELU6, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class HiddenRelu6 {
        @Dense(units = 5, activation = Activation.RELU6) Layer h1;
        @Dense(units = 4, activation = Activation.RELU6) Layer h2;
        @Dense(units = 3) Layer out;
    }

    /** Two hidden layers of STEP, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class HiddenStep {
        @Dense(units = 5, activation = Activation.STEP) Layer h1;
        @Dense(units = 4, activation = Activation.STEP) Layer h2;
        @Dense(units = 3) Layer out;
    }
}
