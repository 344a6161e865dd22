package dev.lamina.samples;

import static dev.lamina.dsl.Activation.RELU;
import static dev.lamina.dsl.Init.UNIFORM_FAN_IN;

import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.dsl.Residual;
import dev.lamina.runtime.Layer;

/**
 * The peers' {@code resnet}: a 16-filter 3x3 stem with batch norm, three basic residual blocks (16, 32 with stride
 * 2, 64 with stride 2; projection shortcuts where the shape changes), global average pooling and a dense layer.
 * Initialised as PyTorch initialises the peer's layers ({@code UNIFORM_FAN_IN}), so that both train the same model
 * from the same distribution with the same learning rate.
 */
@Network(input = {1, 28, 28})
public abstract class PeerResNet {
    @Conv(filters = 16, kernel = 3, padding = 1, bias = false, init = UNIFORM_FAN_IN) Layer stem;
    @BatchNorm(activation = RELU)                                                       Layer stemBn;
    @Residual(filters = 16, init = UNIFORM_FAN_IN)                                      Layer stage1;
    @Residual(filters = 32, stride = 2, init = UNIFORM_FAN_IN)                          Layer stage2;
    @Residual(filters = 64, stride = 2, init = UNIFORM_FAN_IN)                          Layer stage3;
    @Pool(kind = PoolKind.GLOBAL_AVERAGE)                                               Layer pool;
    @Dense(units = 10, init = UNIFORM_FAN_IN)                                           Layer out;
}
