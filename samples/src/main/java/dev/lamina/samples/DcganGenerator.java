package dev.lamina.samples;

import static dev.lamina.dsl.Activation.RELU;
import static dev.lamina.dsl.Activation.TANH;

import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.ConvTranspose;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Reshape;
import dev.lamina.runtime.Layer;

/**
 * A DCGAN generator for 28x28 grey images (Radford et al. 2016, scaled down for a CPU): noise projected to
 * 64 maps of 7x7, then two transposed convolutions that double the size (to 32 maps of 14x14, then the image),
 * each after batch norm and ReLU, tanh at the end (pixels in [-1, 1]). Its loss is unused: {@code GanTrainer}
 * trains it through the discriminator.
 */
@Network(input = {DcganGenerator.NOISE}, loss = Loss.MEAN_SQUARED_ERROR)
public abstract class DcganGenerator {
    /** Noise values per image. */
    public static final int NOISE = 32;

    @Dense(units = 64 * 7 * 7, bias = false)                          Layer project;
    @Reshape({64, 7, 7})                                              Layer maps;
    @BatchNorm(activation = RELU)                                     Layer norm1;
    @ConvTranspose(filters = 32, kernel = 4, stride = 2, padding = 1,
            bias = false)                                             Layer up1;
    @BatchNorm(activation = RELU)                                     Layer norm2;
    @ConvTranspose(filters = 1, kernel = 4, stride = 2, padding = 1,
            activation = TANH)                                        Layer image;
}
