package dev.lamina.processor.nets;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Dropout;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.dsl.Residual;
import dev.lamina.dsl.Upsample;
import dev.lamina.runtime.Layer;

/** Networks for the defects found against PyTorch: each one shows one of them (see CorrectnessTest). */
public final class CorrectnessNets {
    private CorrectnessNets() {
    }

    /** A Dense applied at each of 3 steps of 2 features: its weight is [2, 2], shared by the steps. */
    @Network(input = {2}, steps = 3, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class DensePerStep {
        @Dense(units = 2, activation = Activation.TANH) Layer d;
    }

    /** Max pools whose 3x3 windows overlap (stride 1, and stride 2), each unpooled by its winners. */
    @Network(input = {1, 4, 4}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class OverlappingUnpool {
        @Pool(kernel = 3, stride = 1) Layer pool;
        @Upsample(pool = "pool") Layer unpool;
    }

    /** The same unpooling between smooth layers, for gradient checks of its backward pass. */
    @Network(input = {2, 5, 5})
    public abstract static class OverlappingUnpoolTrained {
        @Conv(filters = 2, kernel = 1, activation = Activation.TANH) Layer enc;
        @Pool(kernel = 3, stride = 2) Layer pool;
        @Conv(filters = 2, kernel = 1, activation = Activation.TANH) Layer mid;
        @Upsample(pool = "pool") Layer unpool;
        @Dense(units = 3) Layer out;
    }

    /** Batch norm on vectors (one value per channel per row) and on images, with dropout. */
    @Network(input = {3, 4, 4})
    public abstract static class NormedAndDropped {
        @Conv(filters = 4, kernel = 3, padding = 1, bias = false) Layer c;
        @BatchNorm(activation = Activation.RELU) Layer bnImage;
        @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer gap;
        @Dense(units = 5, bias = false) Layer d;
        @BatchNorm(activation = Activation.TANH) Layer bnVector;
        @Dense(units = 4, activation = Activation.TANH) Layer hidden;
        @Dropout(rate = 0.5) Layer drop;
        @Dense(units = 3) Layer out;
    }

    /** Batch norm on images only: a batch of one still has many values per channel. */
    @Network(input = {2, 3, 3})
    public abstract static class NormedImages {
        @Conv(filters = 3, kernel = 3, padding = 1, bias = false) Layer c;
        @BatchNorm(activation = Activation.TANH) Layer bn;
        @Dense(units = 2) Layer out;
    }

    /** Residual blocks (batch norms folded into the adds), smooth, for inference-mode gradient checks. */
    @Network(input = {2, 4, 4})
    public abstract static class SmoothResiduals {
        @Conv(filters = 3, kernel = 3, padding = 1, bias = false) Layer stem;
        @BatchNorm(activation = Activation.TANH) Layer stemBn;
        @Residual(filters = 3, activation = Activation.TANH) Layer same;
        @Residual(filters = 4, stride = 2, activation = Activation.ELU) Layer down;
        @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer gap;
        @Dense(units = 3) Layer out;
    }
}
