package dev.lamina.processor.nets;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Block;
import dev.lamina.dsl.Concat;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Conv1d;
import dev.lamina.dsl.ConvTranspose;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Dropout;
import dev.lamina.dsl.Embedding;
import dev.lamina.dsl.Flatten;
import dev.lamina.dsl.GRU;
import dev.lamina.dsl.LSTM;
import dev.lamina.dsl.LayerNorm;
import dev.lamina.dsl.LocalResponseNorm;
import dev.lamina.dsl.RNN;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.dsl.Residual;
import dev.lamina.dsl.Upsample;
import dev.lamina.dsl.ResidualBlock;
import dev.lamina.runtime.Layer;

/** Small networks that exercise every layer, activation and loss, for gradient checks. */
public final class GradNets {
    private GradNets() {
    }

    @Network(input = {5}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class Smooth {
        @Dense(units = 6, activation = Activation.SIGMOID) Layer a;
        @Dense(units = 6, activation = Activation.TANH) Layer b;
        @Dense(units = 6, activation = Activation.ELU) Layer c;
        @Dense(units = 6, activation = Activation.SELU) Layer d;
        @Dense(units = 6, activation = Activation.SOFTPLUS) Layer e;
        @Dense(units = 3, activation = Activation.TANH) Layer out;
    }

    @Network(input = {5}, loss = Loss.SIGMOID_CROSS_ENTROPY)
    public abstract static class Kinked {
        @Dense(units = 8, activation = Activation.RELU) Layer a;
        @Dense(units = 8, activation = Activation.LEAKY_RELU, alpha = 0.1) Layer b;
        @Dense(units = 8, activation = Activation.RELU6, alpha = 2) Layer c;
        @Dense(units = 4) Layer out;
    }

    @Network(input = {2, 7, 7}, loss = Loss.SOFTMAX_CROSS_ENTROPY, labelSmoothing = 0.1)
    public abstract static class Convs {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p1;
        @Conv(filters = 4, kernel = 2, stride = 1, dilation = 2, padding = 1, bias = false,
                activation = Activation.SIGMOID) Layer c2;
        @Pool(kind = PoolKind.AVERAGE, kernel = 2, stride = 1) Layer p2;
        @Conv(filters = 5, kernel = 1, activation = Activation.TANH) Layer c3;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }

    @Network(input = {3, 6, 6})
    public abstract static class Normed {
        @Conv(filters = 4, kernel = 3, stride = 2, padding = 1, bias = false) Layer c1;
        @BatchNorm(activation = Activation.TANH) Layer bn1;
        @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer gap;
        @Dense(units = 6) Layer d1;
        @BatchNorm(activation = Activation.SIGMOID) Layer bn2;
        @Dense(units = 3) Layer out;
    }

    @Network(input = {6})
    public abstract static class Dropped {
        @Dense(units = 10, activation = Activation.TANH) Layer a;
        @Dropout(rate = 0.3) Layer drop;
        @Dense(units = 10, activation = Activation.SIGMOID) Layer b;
        @Dense(units = 4) Layer out;
    }

    /** {@link Dropped} with fusion off: one pass per operation. */
    @Network(input = {6}, fuse = false)
    public abstract static class DroppedUnfused {
        @Dense(units = 10, activation = Activation.TANH) Layer a;
        @Dropout(rate = 0.3) Layer drop;
        @Dense(units = 10, activation = Activation.SIGMOID) Layer b;
        @Dense(units = 4) Layer out;
    }

    @Network(input = {2, 7, 7}, loss = Loss.SOFTMAX_CROSS_ENTROPY, labelSmoothing = 0.1, fuse = false)
    public abstract static class ConvsUnfused {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p1;
        @Conv(filters = 4, kernel = 2, stride = 1, dilation = 2, padding = 1, bias = false,
                activation = Activation.SIGMOID) Layer c2;
        @Pool(kind = PoolKind.AVERAGE, kernel = 2, stride = 1) Layer p2;
        @Conv(filters = 5, kernel = 1, activation = Activation.TANH) Layer c3;
        @Flatten Layer flat;
        @Dense(units = 3) Layer out;
    }
    /**
     * Max pools fused into the convolutions before them: overlapping 3/2 windows with a dropout fused in after the
     * pool, and 2/1 windows after a leaky ReLU.
     */
    @Network(input = {2, 9, 9})
    public abstract static class Pooled {
        @Conv(filters = 4, kernel = 3, padding = 1, activation = Activation.RELU) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2) Layer p1;
        @Dropout(rate = 0.25) Layer drop;
        @Conv(filters = 3, kernel = 2, activation = Activation.LEAKY_RELU, alpha = 0.1) Layer c2;
        @Pool(kind = PoolKind.MAX, kernel = 2, stride = 1) Layer p2;
        @Dense(units = 3) Layer out;
    }

    /** {@link Pooled} with fusion off. */
    @Network(input = {2, 9, 9}, fuse = false)
    public abstract static class PooledUnfused {
        @Conv(filters = 4, kernel = 3, padding = 1, activation = Activation.RELU) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2) Layer p1;
        @Dropout(rate = 0.25) Layer drop;
        @Conv(filters = 3, kernel = 2, activation = Activation.LEAKY_RELU, alpha = 0.1) Layer c2;
        @Pool(kind = PoolKind.MAX, kernel = 2, stride = 1) Layer p2;
        @Dense(units = 3) Layer out;
    }

    /** A one-channel convolution whose 2x2 pool is fused in: its sums are kept in rows as wide as the input. */
    @Network(input = {1, 9, 8})
    public abstract static class WideRows {
        @Conv(filters = 3, kernel = 3, padding = 1, dilation = 1, activation = Activation.TANH) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p1;
        @Conv(filters = 2, kernel = 2, padding = 1, activation = Activation.ELU) Layer c2;
        @Dense(units = 3) Layer out;
    }

    /**
     * Max pools after activations that decrease below 0 (negative alpha): fusion must not pool the raw sums
     * before them (issue 15, item 9).
     */
    @Network(input = {2, 8, 8})
    public abstract static class DecreasingPooled {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.LEAKY_RELU, alpha = -0.5) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p1;
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.ELU, alpha = -1.0) Layer c2;
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2) Layer p2;
        @Dense(units = 3) Layer out;
    }

    /** {@link DecreasingPooled} with fusion off. */
    @Network(input = {2, 8, 8}, fuse = false)
    public abstract static class DecreasingPooledUnfused {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.LEAKY_RELU, alpha = -0.5) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p1;
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.ELU, alpha = -1.0) Layer c2;
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2) Layer p2;
        @Dense(units = 3) Layer out;
    }

    /** {@link WideRows} with fusion off. */
    @Network(input = {1, 9, 8}, fuse = false)
    public abstract static class WideRowsUnfused {
        @Conv(filters = 3, kernel = 3, padding = 1, dilation = 1, activation = Activation.TANH) Layer c1;
        @Pool(kind = PoolKind.MAX, kernel = 2) Layer p1;
        @Conv(filters = 2, kernel = 2, padding = 1, activation = Activation.ELU) Layer c2;
        @Dense(units = 3) Layer out;
    }

    /** An LSTM over a short sequence, its last step classified. */
    @Network(input = {3}, steps = 4)
    public abstract static class Recurrent {
        @LSTM(units = 5) Layer lstm;
        @Dense(units = 3) Layer out;
    }

    /** Stacked LSTMs returning sequences, the last one's steps flattened into a Dense. */
    @Network(input = {3}, steps = 4, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class StackedRecurrent {
        @LSTM(units = 4, returnSequences = true) Layer first;
        @LSTM(units = 3, returnSequences = true) Layer second;
        @Flatten Layer steps;
        @Dense(units = 2, activation = Activation.TANH) Layer out;
    }

    /** Residual stages: an identity shortcut, then a projection (stride 2, more channels). */
    @Network(input = {2, 6, 6})
    public abstract static class Residuals {
        @Conv(filters = 3, kernel = 3, padding = 1, bias = false) Layer stem;
        @BatchNorm(activation = Activation.RELU) Layer stemBn;
        @Residual(filters = 3) Layer same;
        @Residual(filters = 4, stride = 2, activation = Activation.TANH) Layer down;
        @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer gap;
        @Dense(units = 3) Layer out;
    }

    /** {@link Residuals} with fusion off. */
    @Network(input = {2, 6, 6}, fuse = false)
    public abstract static class ResidualsUnfused {
        @Conv(filters = 3, kernel = 3, padding = 1, bias = false) Layer stem;
        @BatchNorm(activation = Activation.RELU) Layer stemBn;
        @Residual(filters = 3) Layer same;
        @Residual(filters = 4, stride = 2, activation = Activation.TANH) Layer down;
        @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer gap;
        @Dense(units = 3) Layer out;
    }

    /** Two bottleneck blocks straight on the input: a projection, then an identity shortcut. */
    @Network(input = {3, 4, 4}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class Bottlenecks {
        @Residual(filters = 2, repeat = 2, block = ResidualBlock.BOTTLENECK, activation = Activation.ELU) Layer stage;
        @Dense(units = 2) Layer out;
    }

    /** A GRU returning its sequence into an Elman RNN that returns its last state. */
    @Network(input = {3}, steps = 5)
    public abstract static class GatedThenElman {
        @GRU(units = 4, returnSequences = true) Layer gru;
        @RNN(units = 3) Layer rnn;
        @Dense(units = 3) Layer out;
    }

    /** An Elman RNN returning its sequence into a GRU that returns its last state. */
    @Network(input = {2}, steps = 4, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class ElmanThenGated {
        @RNN(units = 3, returnSequences = true) Layer rnn;
        @GRU(units = 4) Layer gru;
        @Dense(units = 2, activation = Activation.TANH) Layer out;
    }

    /**
     * Inception-style branches from one stem (1x1; 1x1 then 3x3; a padded 3x3 max pool then 1x1) joined along
     * channels, then a U-Net-style skip joining a later layer to the stem.
     */
    @Network(input = {2, 6, 6})
    public abstract static class Branches {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer stem;
        @Conv(filters = 2, kernel = 1, activation = Activation.TANH) Layer b1;
        @Conv(filters = 2, kernel = 1, activation = Activation.TANH, from = "stem") Layer b3Reduce;
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer b3;
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 1, padding = 1, from = "stem") Layer branchPool;
        @Conv(filters = 2, kernel = 1, activation = Activation.TANH) Layer poolProj;
        @Concat(of = {"b1", "b3", "poolProj"}) Layer mixed;
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer refine;
        @Concat(of = {"stem"}, withPrevious = true) Layer skip;
        @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer gap;
        @Dense(units = 3) Layer out;
    }

    /** {@link Branches} with fusion off. */
    @Network(input = {2, 6, 6}, fuse = false)
    public abstract static class BranchesUnfused {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer stem;
        @Conv(filters = 2, kernel = 1, activation = Activation.TANH) Layer b1;
        @Conv(filters = 2, kernel = 1, activation = Activation.TANH, from = "stem") Layer b3Reduce;
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer b3;
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 1, padding = 1, from = "stem") Layer branchPool;
        @Conv(filters = 2, kernel = 1, activation = Activation.TANH) Layer poolProj;
        @Concat(of = {"b1", "b3", "poolProj"}) Layer mixed;
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer refine;
        @Concat(of = {"stem"}, withPrevious = true) Layer skip;
        @Pool(kind = PoolKind.GLOBAL_AVERAGE) Layer gap;
        @Dense(units = 3) Layer out;
    }

    /**
     * A character model: token ids through an embedding and an LSTM returning every step, a Dense applied at every
     * step, softmax cross-entropy at every step.
     */
    @Network(tokens = 5, steps = 4)
    public abstract static class Tokens {
        @Embedding(dim = 3) Layer embed;
        @LSTM(units = 4, returnSequences = true) Layer lstm;
        @Dense(units = 5) Layer next;
    }

    /** Stateful GRU, RNN and LSTM: every layer starts the batch from a carried state (truncated BPTT). */
    @Network(input = {2}, steps = 3)
    public abstract static class Stateful {
        @GRU(units = 3, returnSequences = true, stateful = true) Layer gru;
        @RNN(units = 3, returnSequences = true, stateful = true) Layer rnn;
        @LSTM(units = 4, stateful = true) Layer lstm;
        @Dense(units = 3) Layer out;
    }

    /** Six steps at once ... */
    @Network(input = {2}, steps = 6)
    public abstract static class SixSteps {
        @GRU(units = 3, returnSequences = true) Layer gru;
        @RNN(units = 3, returnSequences = true) Layer rnn;
        @LSTM(units = 4) Layer lstm;
        @Dense(units = 2) Layer out;
    }

    /** ... or in two chunks of three, the state carried between them. */
    @Network(input = {2}, steps = 3)
    public abstract static class ThreeStepChunks {
        @GRU(units = 3, returnSequences = true, stateful = true) Layer gru;
        @RNN(units = 3, returnSequences = true, stateful = true) Layer rnn;
        @LSTM(units = 4, stateful = true) Layer lstm;
        @Dense(units = 2) Layer out;
    }

    /** Layer norm over each image position's channels, over a vector, and over each step of a sequence. */
    @Network(input = {3, 4, 4})
    public abstract static class LayerNormed {
        @Conv(filters = 4, kernel = 3, padding = 1) Layer c;
        @LayerNorm(activation = Activation.TANH) Layer perPosition;
        @Dense(units = 5) Layer d;
        @LayerNorm(activation = Activation.SIGMOID) Layer perSample;
        @Dense(units = 3) Layer out;
    }

    /** Layer norm on every step of a recurrent layer's output. */
    @Network(input = {3}, steps = 4, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class LayerNormedSequence {
        @GRU(units = 4, returnSequences = true) Layer gru;
        @LayerNorm Layer perStep;
        @Dense(units = 2) Layer out;
    }

    /** Local response normalisation across 7 channels, windows of 3 and of 4 (uneven), a large alpha. */
    @Network(input = {2, 3, 3})
    public abstract static class ResponseNormed {
        @Conv(filters = 7, kernel = 1, activation = Activation.TANH) Layer c;
        @LocalResponseNorm(size = 3, alpha = 0.5, k = 1.0) Layer lrn3;
        @LocalResponseNorm(size = 4, alpha = 0.8, beta = 0.5) Layer lrn4;
        @Dense(units = 3) Layer out;
    }

    /**
     * An encoder step and transposed convolutions back up: strided with output padding (position-major columns),
     * stride 1 over several channels (kernel rows), and to one channel (field-major).
     */
    @Network(input = {2, 6, 6}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class Decoder {
        @Conv(filters = 3, kernel = 3, stride = 2, padding = 1, activation = Activation.TANH) Layer down;
        @ConvTranspose(filters = 2, kernel = 3, stride = 2, padding = 1, outputPadding = 1,
                activation = Activation.TANH) Layer up;
        @ConvTranspose(filters = 2, kernel = 3, padding = 1, activation = Activation.ELU) Layer same;
        @ConvTranspose(filters = 1, kernel = 2, bias = false) Layer sharpen;
    }

    /** A U-Net-style decoder step: upsample, join the encoder's features, convolve. */
    @Network(input = {2, 6, 6})
    public abstract static class UpsampledSkip {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer enc;
        @Pool(kind = PoolKind.AVERAGE, kernel = 2) Layer down;
        @Conv(filters = 3, kernel = 1, activation = Activation.TANH) Layer mid;
        @Upsample(scale = 2) Layer up;
        @Concat(of = {"enc"}, withPrevious = true) Layer skip;
        @Conv(filters = 2, kernel = 3, padding = 1, activation = Activation.TANH) Layer dec;
        @Dense(units = 3) Layer out;
    }

    /** The LSTM variants: peepholes, a coupled input gate, and both (stateful, so the initial cell matters). */
    @Network(input = {3}, steps = 4)
    public abstract static class LstmVariants {
        @LSTM(units = 4, returnSequences = true, peephole = true) Layer peep;
        @LSTM(units = 3, returnSequences = true, coupled = true) Layer coupled;
        @LSTM(units = 3, peephole = true, coupled = true, stateful = true) Layer both;
        @Dense(units = 3) Layer out;
    }

    /** A pre-activation block written by hand and used at two widths: BN-act-conv, BN-act-conv. */
    @Network(input = {2, 6, 6})
    public abstract static class CustomBlocks {
        @Block
        public abstract static class PreActivation {
            @BatchNorm(activation = Activation.TANH) Layer bn1;
            @Conv(filters = Residual.STAGE, kernel = 3, stride = Residual.STAGE, padding = 1, bias = false) Layer conv1;
            @BatchNorm(activation = Activation.TANH) Layer bn2;
            @Conv(filters = Residual.STAGE, kernel = 3, padding = 1, bias = false) Layer conv2;
        }

        @Conv(filters = 3, kernel = 1) Layer stem;
        @Residual(custom = PreActivation.class, filters = 3, repeat = 2, activation = Activation.IDENTITY) Layer same;
        @Residual(custom = PreActivation.class, filters = 4, stride = 2, activation = Activation.IDENTITY) Layer down;
        @Dense(units = 3) Layer out;
    }

    /** SegNet-style: the decoder unpools by the encoder's max pool, putting values back where the maxima were. */
    @Network(input = {2, 6, 6})
    public abstract static class MaxUnpooled {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer enc;
        @Pool(kernel = 2) Layer pool;
        @Conv(filters = 3, kernel = 1, activation = Activation.TANH) Layer mid;
        @Upsample(pool = "pool") Layer unpool;
        @Conv(filters = 2, kernel = 3, padding = 1, activation = Activation.TANH) Layer dec;
        @Dense(units = 3) Layer out;
    }

    /** 1D convolutions along a sequence (padded; strided and dilated), then an LSTM over what they produce. */
    @Network(input = {3}, steps = 9)
    public abstract static class Convolved1d {
        @Conv1d(filters = 4, kernel = 3, padding = 1, activation = Activation.TANH) Layer smooth;
        @Conv1d(filters = 3, kernel = 2, stride = 2, dilation = 2, activation = Activation.ELU) Layer strided;
        @LSTM(units = 3) Layer lstm;
        @Dense(units = 3) Layer out;
    }

    /** Grouped convolutions: two groups, then depthwise (a group per channel). */
    @Network(input = {4, 5, 5})
    public abstract static class Grouped {
        @Conv(filters = 6, kernel = 3, padding = 1, groups = 2, activation = Activation.TANH) Layer pairs;
        @Conv(filters = 6, kernel = 3, stride = 2, groups = 6, activation = Activation.TANH) Layer depthwise;
        @Dense(units = 3) Layer out;
    }

    /** Two groups of one channel each: each output channel sees only its own input channel. */
    @Network(input = {2, 3, 3}, loss = Loss.MEAN_SQUARED_ERROR)
    public abstract static class GroupedIsolation {
        @Conv(filters = 2, kernel = 3, padding = 1, groups = 2) Layer c;
    }
}
