package dev.lamina.samples;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Dropout;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.runtime.Layer;

/**
 * {@link DigitsCnn} with fusion off, so that every layer keeps an output of its own: in {@code DigitsCnn} the max
 * pool runs in {@code conv1}'s pass and only the pooled maps are stored. Same fields, so a checkpoint of one loads
 * into the other; {@link FeaturePictures} reads {@code conv1}'s maps through it.
 */
@Network(input = {1, 8, 8}, fuse = false)
public abstract class DigitsCnnUnfused {
    @Conv(filters = 16, kernel = 3, padding = 1, activation = RELU) Layer conv1;
    @Pool(kernel = 2)                                               Layer pool1;
    @Conv(filters = 32, kernel = 3, padding = 1, activation = RELU) Layer conv2;
    @Pool(kernel = 2)                                               Layer pool2;
    @Dense(units = 64, activation = RELU)                           Layer hidden;
    @Dropout(rate = 0.2)                                            Layer drop;
    @Dense(units = 10)                                              Layer scores;
}
