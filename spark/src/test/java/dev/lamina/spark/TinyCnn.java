package dev.lamina.spark;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/** A small network for the Spark tests: a convolution and two dense layers, 6x6 inputs, three classes. */
@Network(input = {1, 6, 6})
public abstract class TinyCnn {
    @Conv(filters = 3, kernel = 3, activation = RELU) Layer conv;
    @Dense(units = 8, activation = RELU)              Layer hidden;
    @Dense(units = 3)                                 Layer out;
}
