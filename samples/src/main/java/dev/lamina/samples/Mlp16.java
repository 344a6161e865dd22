package dev.lamina.samples;

import static dev.lamina.dsl.Activation.TANH;

import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/**
 * The 784-16-16-10 MLP of the Hessian-free sample, tanh (smooth, so its exact Hessian is defined everywhere),
 * declared {@code secondOrder = true} for the generated Hessian-vector product {@code HessianFree} needs.
 */
@Network(input = {1, 28, 28}, secondOrder = true)
public abstract class Mlp16 {
    @Dense(units = 16, activation = TANH) Layer hidden1;
    @Dense(units = 16, activation = TANH) Layer hidden2;
    @Dense(units = 10) Layer scores;
}
