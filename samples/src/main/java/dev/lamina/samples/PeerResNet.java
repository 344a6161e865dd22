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
 * The peers' {@code resnet}: a 16-filter 3x3 stem with batch norm, three basic residual blocks (16, 32 with stride
 * 2, 64 with stride 2; projection shortcuts where the shape changes), global average pooling and a dense layer.
 */
@Network(input = {1, 28, 28})
public abstract class PeerResNet {
    @Conv(filters = 16, kernel = 3, padding = 1, bias = false) Layer stem;
    @BatchNorm(activation = RELU)                                Layer stemBn;
    @Residual(filters = 16)                                      Layer stage1;
    @Residual(filters = 32, stride = 2)                          Layer stage2;
    @Residual(filters = 64, stride = 2)                          Layer stage3;
    @Pool(kind = PoolKind.GLOBAL_AVERAGE)                        Layer pool;
    @Dense(units = 10)                                           Layer out;
}
