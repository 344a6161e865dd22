package dev.lamina.samples;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.runtime.Layer;

/**
 * The small convolutional network {@link StyledPicture} takes its features from: four 3x3 ReLU convolutions and two
 * average pools (Gatys et al. replace VGG's max pools with average pools for smoother gradients) on 32x32 RGB
 * images. Used untrained, with its seeded random filters: random convolutions already give Gram matrices that
 * tell textures apart (Ulyanov et al. 2017; He, Wang and Hopcroft 2016). Fusion is off so every layer keeps an
 * output of its own; the loss is never trained.
 */
@Network(input = {3, 32, 32}, loss = Loss.MEAN_SQUARED_ERROR, fuse = false)
public abstract class StyleNet {
    @Conv(filters = 16, kernel = 3, padding = 1, activation = RELU) Layer conv1;
    @Conv(filters = 16, kernel = 3, padding = 1, activation = RELU) Layer conv2;
    @Pool(kind = PoolKind.AVERAGE, kernel = 2)                     Layer pool1;
    @Conv(filters = 32, kernel = 3, padding = 1, activation = RELU) Layer conv3;
    @Pool(kind = PoolKind.AVERAGE, kernel = 2)                     Layer pool2;
    @Conv(filters = 32, kernel = 3, padding = 1, activation = RELU) Layer conv4;
}
