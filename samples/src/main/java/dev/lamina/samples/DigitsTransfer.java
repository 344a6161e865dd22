package dev.lamina.samples;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.runtime.Layer;

/**
 * {@link DigitsCnn}'s feature extractor (the same field names, so a checkpoint of it loads into these layers) under
 * a new head of its own (names a DigitsCnn checkpoint does not have): the target of the transfer-learning sample.
 */
@Network(input = {1, 8, 8})
public abstract class DigitsTransfer {
    @Conv(filters = 16, kernel = 3, padding = 1, activation = RELU) Layer conv1;
    @Pool(kernel = 2)                                               Layer pool1;
    @Conv(filters = 32, kernel = 3, padding = 1, activation = RELU) Layer conv2;
    @Pool(kernel = 2)                                               Layer pool2;
    @Dense(units = 32, activation = RELU)                           Layer newHidden;
    @Dense(units = 10)                                              Layer newScores;
}
