package dev.lamina.processor.generated;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Conv1d;
import dev.lamina.dsl.ConvTranspose;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Flatten;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.dsl.Precision;
import dev.lamina.dsl.Residual;
import dev.lamina.dsl.Upsample;
import dev.lamina.runtime.Layer;

/**
 * Networks with convolutions, pooling and upsampling declared {@code @Network(secondOrder = true)}, whose R-passes
 * {@code SecondOrderConvTest} checks against finite differences: smooth activations throughout, so that only the
 * max pools' winners are piecewise (random inputs and a small step keep them away from ties).
 */
final class SecondOrderConvNets {
    private SecondOrderConvNets() {
    }

    /** LeNet in small: conv-pool-conv-pool-flatten-dense; fusion folds both max pools into the convolutions. */
    @Network(input = {1, 10, 10}, secondOrder = true)
    abstract static class LeNet {
        @Conv(filters = 3, kernel = 3, activation = Activation.TANH) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p1;
        @Conv(filters = 4, kernel = 3, padding = 1, activation = Activation.SOFTPLUS) Layer c2;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p2;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    /** {@link LeNet} with its products in double. */
    @Network(input = {1, 10, 10}, secondOrder = true, secondOrderPrecision = Precision.DOUBLE)
    abstract static class LeNetInDouble {
        @Conv(filters = 3, kernel = 3, activation = Activation.TANH) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p1;
        @Conv(filters = 4, kernel = 3, padding = 1, activation = Activation.SOFTPLUS) Layer c2;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p2;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    /**
     * LeNet on two channels whose first convolution is grouped, so that its max pool stays a layer of its own (only
     * ungrouped convolutions absorb a pool); the second, an ELU, is fused.
     */
    @Network(input = {2, 10, 10}, secondOrder = true)
    abstract static class GroupedLeNet {
        @Conv(filters = 4, kernel = 3, groups = 2, activation = Activation.TANH) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p1;
        @Conv(filters = 4, kernel = 3, padding = 1, activation = Activation.ELU) Layer c2;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p2;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    /**
     * Strides, padding, dilation, groups and a depthwise convolution, no bias, an overlapping padded max pool (fused),
     * an average pool and a global average pool.
     */
    @Network(input = {4, 9, 9}, secondOrder = true)
    abstract static class Shapes {
        @Conv(filters = 4, kernel = 3, stride = 2, padding = 1, groups = 2, bias = false,
                activation = Activation.SIGMOID) Layer grouped;
        @Conv(filters = 4, kernel = 3, padding = 2, dilation = 2, groups = 4, activation = Activation.TANH)
        Layer depthwise;
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Layer overlap;
        @Conv(filters = 6, kernel = 1, activation = Activation.SOFTPLUS) Layer pointwise;
        @Pool(kind = PoolKind.AVERAGE, kernel = 2, stride = 1) Layer average;
        @Conv(filters = 5, kernel = 1, activation = Activation.TANH) Layer widen;
        @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer global;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    /** Pooling on the network's input, a transposed convolution with output padding, nearest upsampling. */
    @Network(input = {2, 6, 6}, secondOrder = true)
    abstract static class Decoder {
        @Pool(kind = PoolKind.AVERAGE, kernel = 2) Layer shrink;
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer c1;
        @ConvTranspose(filters = 2, kernel = 3, stride = 2, padding = 1, outputPadding = 1,
                activation = Activation.SOFTPLUS) Layer up;
        @Upsample(scale = 2) Layer nearest;
        @Conv(filters = 2, kernel = 3, stride = 3, activation = Activation.SIGMOID) Layer c2;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    /** A max pool whose winners an unpooling reads, and a transposed convolution on the network's input. */
    @Network(input = {2, 6, 6}, secondOrder = true)
    abstract static class Unpool {
        @ConvTranspose(filters = 3, kernel = 2, activation = Activation.TANH, bias = false) Layer t;
        @Pool(kind = PoolKind.MAX, kernel = 2, stride = 2) Layer p;
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.SIGMOID) Layer c;
        @Upsample(pool = "p") Layer unpooled;
        @Conv(filters = 2, kernel = 3, stride = 2, activation = Activation.TANH) Layer c2;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    /** One-dimensional convolutions over a sequence: stride, padding, dilation, no bias. */
    @Network(input = {3}, steps = 9, secondOrder = true)
    abstract static class Sequence {
        @Conv1d(filters = 4, kernel = 3, stride = 2, padding = 1, activation = Activation.TANH) Layer c1;
        @Conv1d(filters = 3, kernel = 2, dilation = 2, bias = false, activation = Activation.SOFTPLUS) Layer c2;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    /** A convolution whose kernel covers the whole image: the Dense layer of {@link DenseTwin} in another layout. */
    @Network(input = {2, 3, 3}, secondOrder = true)
    abstract static class WholeImageConv {
        @Conv(filters = 4, kernel = 3, activation = Activation.TANH) Layer c;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    /** {@link WholeImageConv} as Dense layers, on its input in channels-last order. */
    @Network(input = {18}, secondOrder = true)
    abstract static class DenseTwin {
        @Dense(units = 4, activation = Activation.TANH) Layer c;
        @Dense(units = 3) Layer out;
    }

    /**
     * Residual stages, covered once convolutions are (a stage expands into convolutions, batch norms and an add),
     * with a strided projection and a global average pool.
     */
    @Network(input = {2, 4, 4}, secondOrder = true)
    abstract static class Residuals {
        @Conv(filters = 3, kernel = 3, padding = 1, bias = false) Layer stem;
        @BatchNorm(activation = Activation.TANH) Layer stemBn;
        @Residual(filters = 3, activation = Activation.TANH) Layer same;
        @Residual(filters = 4, stride = 2, activation = Activation.ELU) Layer down;
        @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer gap;
        @Dense(units = 3) Layer out;
    }
}
