package dev.lamina.samples;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.dsl.Residual;
import dev.lamina.runtime.Layer;

/**
 * ResNet-18 adapted to 28x28 single-channel images, as for CIFAR: a 3x3 stem without the stride-2 convolution and
 * max pool of the ImageNet version, then four stages of two basic blocks, global average pooling and 10 classes.
 */
@Network(input = {1, 28, 28})
public abstract class ResNet18 {
    @Conv(filters = 64, kernel = 3, padding = 1, bias = false) Layer conv1;
    @BatchNorm(activation = RELU)                               Layer bn1;
    @Residual(filters = 64, repeat = 2)                         Layer layer1;
    @Residual(filters = 128, stride = 2, repeat = 2)            Layer layer2;
    @Residual(filters = 256, stride = 2, repeat = 2)            Layer layer3;
    @Residual(filters = 512, stride = 2, repeat = 2)            Layer layer4;
    @Pool(kind = PoolKind.GLOBAL_AVERAGE)                       Layer avgpool;
    @Dense(units = 10)                                          Layer fc;
}
