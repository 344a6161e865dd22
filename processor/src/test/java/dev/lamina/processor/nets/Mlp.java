package dev.lamina.processor.nets;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

@Network(input = {784})
public abstract class Mlp {
    @Dense(units = 16, activation = RELU) Layer h1;
    @Dense(units = 16, activation = RELU) Layer h2;
    @Dense(units = 10) Layer out;
}
