package dev.lamina.samples;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/** The peers' {@code mlp}: 784-256-ReLU-128-ReLU-10 on Fashion-MNIST. */
@Network(input = {1, 28, 28})
public abstract class Mlp {
    @Dense(units = 256, activation = RELU) Layer hidden1;
    @Dense(units = 128, activation = RELU) Layer hidden2;
    @Dense(units = 10) Layer scores;
}
