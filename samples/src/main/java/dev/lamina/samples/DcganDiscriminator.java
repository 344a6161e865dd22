package dev.lamina.samples;

import static dev.lamina.dsl.Activation.LEAKY_RELU;

import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/**
 * A DCGAN discriminator for 28x28 grey images in [-1, 1]: two strided convolutions with leaky ReLU (slope 0.2)
 * halve the size twice, then one logit (real 1, generated 0). No batch norm: {@code GanTrainer} shows it real and
 * generated images in one batch.
 */
@Network(input = {1, 28, 28}, loss = Loss.SIGMOID_CROSS_ENTROPY)
public abstract class DcganDiscriminator {
    @Conv(filters = 32, kernel = 4, stride = 2, padding = 1, activation = LEAKY_RELU, alpha = 0.2) Layer conv1;
    @Conv(filters = 64, kernel = 4, stride = 2, padding = 1, activation = LEAKY_RELU, alpha = 0.2) Layer conv2;
    @Dense(units = 1)                                                                               Layer logit;
}
