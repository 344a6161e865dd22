package dev.lamina.samples;

import static dev.lamina.dsl.Activation.SIGMOID;

import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/**
 * The 8-3-8 identity problem: each of the 8 one-hot inputs must come out again through 3 sigmoid units, which
 * therefore learn a (close to) binary code for it.
 */
@Network(input = {8}, loss = Loss.SIGMOID_CROSS_ENTROPY)
public abstract class Autoencoder838 {
    @Dense(units = 3, activation = SIGMOID) Layer code;
    @Dense(units = 8)                       Layer decoded;
}
