package dev.lamina.processor.pytorch;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Conv1d;
import dev.lamina.dsl.ConvTranspose;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Dropout;
import dev.lamina.dsl.Flatten;
import dev.lamina.dsl.GRU;
import dev.lamina.dsl.LSTM;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.runtime.Layer;

/**
 * The layer kinds whose checkpoint layouts differ from memory's, besides the bench models' (TorchCheckpointTest in
 * the samples): their PyTorch twins are in {@code src/test/python/torch_layouts.py}, see {@link TorchLayoutTest}.
 */
@SuppressWarnings("unused")
final class TorchLayoutNets {
    private TorchLayoutNets() {
    }

    /** A grouped convolution, a transposed one, then an explicit flatten and a dropout before a dense layer. */
    @Network(input = {2, 6, 6})
    public abstract static class Image {
        @Conv(filters = 4, kernel = 3, padding = 1, groups = 2, activation = Activation.TANH) Layer g;
        @ConvTranspose(filters = 3, kernel = 2, stride = 2, activation = Activation.TANH) Layer t;
        @Pool(kernel = 4) Layer p;
        @Flatten Layer flat;
        @Dropout(rate = 0.5) Layer drop;
        @Dense(units = 5) Layer out;
    }

    /** A 1-d convolution, an LSTM returning sequences and a GRU, then a dense layer. */
    @Network(input = {3}, steps = 5)
    public abstract static class Sequence {
        @Conv1d(filters = 4, kernel = 2, padding = 1, activation = Activation.TANH) Layer c;
        @LSTM(units = 3, returnSequences = true) Layer lstm;
        @GRU(units = 4) Layer gru;
        @Dense(units = 2) Layer out;
    }
}
