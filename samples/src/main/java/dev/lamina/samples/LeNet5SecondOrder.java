package dev.lamina.samples;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.runtime.Layer;

/**
 * The bench's {@link LeNet5} with the generated R-pass ({@code secondOrder = true}): the same layers, so the same
 * parameter names and shapes, and an exact {@code H v} ({@code sharpness --model lenet --exact}, which trains
 * {@link LeNet5} as the bench does and copies its parameters here). A copy rather than a change to {@link LeNet5},
 * whose generated code the bench runs.
 */
@Network(input = {1, 28, 28}, secondOrder = true)
public abstract class LeNet5SecondOrder {
    @Conv(filters = 6, kernel = 5, padding = 2, activation = RELU) Layer c1;
    @Pool(kernel = 2)                                             Layer s2;
    @Conv(filters = 16, kernel = 5, activation = RELU)            Layer c3;
    @Pool(kernel = 2)                                             Layer s4;
    @Dense(units = 120, activation = RELU)                        Layer f5;
    @Dense(units = 84, activation = RELU)                         Layer f6;
    @Dense(units = 10)                                            Layer out;
}
