package dev.lamina.samples;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/**
 * The bench's {@link Mlp} (784-256-ReLU-128-ReLU-10) with the generated R-pass ({@code secondOrder = true}): the
 * same layers, so the same parameters and gradient, and an exact {@code H v} to time against the gradient
 * ({@code sharpness --cost}). A copy rather than a change to {@link Mlp}, whose generated code the bench runs.
 */
@Network(input = {1, 28, 28}, secondOrder = true)
public abstract class MlpSecondOrder {
    @Dense(units = 256, activation = RELU) Layer hidden1;
    @Dense(units = 128, activation = RELU) Layer hidden2;
    @Dense(units = 10) Layer scores;
}
