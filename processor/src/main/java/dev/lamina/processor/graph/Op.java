package dev.lamina.processor.graph;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Init;
import dev.lamina.dsl.PoolKind;
import dev.lamina.dsl.ResidualBlock;
import java.util.List;

/** What a node computes, with the attributes the user wrote (defaults resolved). */
public sealed interface Op {

    /** The annotation name users know the op by, for messages and summaries. */
    String kind();

    /** {@code visitor}'s method for this op's kind: the one dispatch over kinds, exhaustive by construction. */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per op kind. A new kind's record adds its method here, so every implementation (the one in
     * {@code ops.OpKinds}) fails to compile until it handles the kind.
     */
    interface Visitor<R> {
        R visit(Input op);

        R visit(Dense op);

        R visit(Conv op);

        R visit(Conv1d op);

        R visit(ConvTranspose op);

        R visit(Upsample op);

        R visit(Pool op);

        R visit(BatchNorm op);

        R visit(Residual op);

        R visit(Embedding op);

        R visit(Concat op);

        R visit(Add op);

        R visit(Recurrent op);

        R visit(LayerNorm op);

        R visit(ResponseNorm op);

        R visit(Dropout op);

        R visit(Flatten op);

        R visit(Reshape op);
    }

    /** The network input; {@code tokens > 0} for a sequence of token ids in {@code [0, tokens)}. */
    record Input(int tokens) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Input";
        }
    }

    /** An activation with its parameter resolved (alpha or cap). */
    record Act(Activation function, double alpha) {
        public static Act of(Activation function, double alphaOrNaN) {
            double alpha = !Double.isNaN(alphaOrNaN) ? alphaOrNaN : switch (function) {
                case LEAKY_RELU -> 0.01;
                case ELU -> 1.0;
                case RELU6 -> 6.0;
                default -> 0.0;
            };
            return new Act(function, alpha);
        }

        public boolean isIdentity() {
            return function == Activation.IDENTITY;
        }

        /**
         * Whether {@code u <= v} implies {@code f(u) <= f(v)}, in float arithmetic too: then {@code f} commutes
         * with a max (fusion pools before the activation only then). Leaky ReLU ({@code max(u, alpha u)}) and ELU
         * ({@code alpha (e^u - 1)} below 0) decrease below 0 for a negative alpha; the others are non-decreasing
         * for every parameter (ReLU6 with a cap below 0 is a constant).
         */
        public boolean isNonDecreasing() {
            return switch (function) {
                case LEAKY_RELU, ELU -> alpha >= 0;
                case IDENTITY, SIGMOID, TANH, RELU, SELU, SOFTPLUS, RELU6, STEP -> true;
            };
        }

        @Override
        public String toString() {
            return function.name();
        }
    }

    record Dense(int units, Act activation, boolean bias, Init init, double initStd) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Dense";
        }
    }

    record Conv(int filters, int kernel, int stride, int padding, int dilation, boolean bias, Act activation,
                Init init, double initStd, int groups) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Conv";
        }

        /** The extent the kernel covers on the input: {@code k + (k - 1)(dilation - 1)}. */
        public int effectiveKernel() {
            return kernel + (kernel - 1) * (dilation - 1);
        }
    }

    /** A 1D convolution along the steps of a sequence. */
    record Conv1d(int filters, int kernel, int stride, int padding, int dilation, boolean bias, Act activation,
                  Init init, double initStd) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Conv1d";
        }

        /** The steps the kernel covers: {@code k + (k - 1)(dilation - 1)}. */
        public int effectiveKernel() {
            return kernel + (kernel - 1) * (dilation - 1);
        }
    }

    /** A transposed convolution: the adjoint of a convolution from its output size to its input size. */
    record ConvTranspose(int filters, int kernel, int stride, int padding, int outputPadding, boolean bias,
                         Act activation, Init init, double initStd) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "ConvTranspose";
        }
    }

    /** Nearest-neighbour upsampling by an integer scale, or, with {@code pool >= 0}, max-unpooling by that node. */
    record Upsample(int scale, int pool) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Upsample";
        }
    }

    /** {@code keepsWinners}: an unpooling reads its winners, so it records them and is never fused away. */
    record Pool(PoolKind poolKind, int kernel, int stride, int padding, boolean keepsWinners) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Pool";
        }

        /**
         * Whether this is the common 2x2, stride-2 max pool, whose runtime kernel vectorises and finds the
         * winners again in the backward pass instead of recording them.
         */
        public boolean isMax2x2() {
            return poolKind == PoolKind.MAX && kernel == 2 && stride == 2 && padding == 0 && !keepsWinners;
        }

        public Pool keepingWinners() {
            return new Pool(poolKind, kernel, stride, padding, true);
        }

        /** Whether the forward pass records each window's winner for the backward pass. */
        public boolean recordsWinners() {
            return poolKind == PoolKind.MAX && !isMax2x2();
        }
    }

    record BatchNorm(double momentum, double epsilon, Act activation) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "BatchNorm";
        }
    }

    /**
     * A declared stage of residual blocks; shape inference expands it into convolutions, batch norms and
     * {@link Add}s, so later stages never see one.
     */
    record Residual(ResidualBlock block, int filters, int stride, int repeat, boolean projection, Act activation,
                    Init init, List<BlockLayer> custom) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        /** The marker a user-defined block's layers use for the stage's filters or stride. */
        public static final int STAGE = -1;

        public String kind() {
            return "Residual";
        }

        /** Output channels of each built-in block. */
        public int outChannels() {
            return block == ResidualBlock.BOTTLENECK ? 4 * filters : filters;
        }

        public boolean isCustom() {
            return !custom.isEmpty();
        }
    }

    /** One layer of a user-defined residual block: its field name and what it computes (sizes maybe STAGE). */
    record BlockLayer(String name, Op op) {
    }

    /** A learned vector per token id: {@code [steps] -> [steps, dim]}. */
    record Embedding(int dim) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Embedding";
        }
    }

    /** Joins {@code input} and {@code others} along channels (images) or features (vectors), in that order. */
    record Concat() implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Concat";
        }
    }

    /** {@code act(input + others...)}: the end of a residual block, elementwise over equal shapes. */
    record Add(Act activation) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Add";
        }
    }

    /** The recurrent cells, with their gate blocks per unit. */
    enum Cell {
        LSTM(4), GRU(3), RNN(1);

        private final int gates;

        Cell(int gates) {
            this.gates = gates;
        }

        public int gates() {
            return gates;
        }
    }

    /**
     * A recurrent layer over a sequence; {@code sequences}: output every step's hidden state, not only the last;
     * {@code stateful}: carry each row's final state into the next training batch (truncated BPTT).
     */
    record Recurrent(Cell cell, int units, boolean sequences, boolean stateful, boolean peephole,
                     boolean coupled) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return cell.name();
        }

        /** Gate blocks per unit: the cell's, less the input gate of a coupled LSTM. */
        public int gates() {
            return coupled ? cell.gates() - 1 : cell.gates();
        }

        /** Peephole weights per unit (an LSTM's: one per gate but the candidate). */
        public int peepholes() {
            return peephole ? gates() - 1 : 0;
        }

        /** Floats of a row's carried state: the hidden state, and an LSTM's cell after it. */
        public int carriedSize() {
            return cell == Cell.LSTM ? 2 * units : units;
        }
    }

    /** Layer normalisation over the last axis, then an activation. */
    record LayerNorm(double epsilon, Act activation) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "LayerNorm";
        }
    }

    /** Local response normalisation across channels. */
    record ResponseNorm(int size, double alpha, double beta, double k) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "LocalResponseNorm";
        }
    }

    record Dropout(double rate) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Dropout";
        }
    }

    /** Flatten; {@code implicit} when the processor inserted it before a Dense. */
    record Flatten(boolean implicit) implements Op {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Flatten";
        }
    }

    /**
     * The input's values seen with a new shape of as many elements, in storage order (channels last): a view, like
     * {@link Flatten}. {@code dims} as written: {@code [features]}, {@code [steps, features]} or
     * {@code [channels, height, width]}.
     */
    record Reshape(List<Integer> dims) implements Op {
        public Reshape {
            dims = List.copyOf(dims);
        }

        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }

        public String kind() {
            return "Reshape";
        }

        /** The shape the dims describe; null for a count of dims no shape has. */
        public Shape shape() {
            return switch (dims.size()) {
                case 1 -> Shape.vector(dims.get(0));
                case 2 -> Shape.sequence(dims.get(0), dims.get(1));
                case 3 -> Shape.image(dims.get(0), dims.get(1), dims.get(2));
                default -> null;
            };
        }
    }
}
