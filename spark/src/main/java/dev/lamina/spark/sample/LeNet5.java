package dev.lamina.spark.sample;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.runtime.Layer;

/**
 * The samples' {@code lenet} (lamina-samples' LeNet5, the same layers and initialisation): LeNet-5 with ReLU and
 * max pooling, on 28x28 Fashion-MNIST. Declared again here so that the Spark sample needs no lamina-samples jar.
 */
@Network(input = {1, 28, 28})
public abstract class LeNet5 {
    @Conv(filters = 6, kernel = 5, padding = 2, activation = RELU) Layer c1;
    @Pool(kernel = 2)                                             Layer s2;
    @Conv(filters = 16, kernel = 5, activation = RELU)            Layer c3;
    @Pool(kernel = 2)                                             Layer s4;
    @Dense(units = 120, activation = RELU)                        Layer f5;
    @Dense(units = 84, activation = RELU)                         Layer f6;
    @Dense(units = 10)                                            Layer out;
}
