package dev.lamina.processor.generated;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Concat;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Dropout;
import dev.lamina.dsl.Embedding;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/**
 * Networks declared {@code @Network(secondOrder = true)} with the graph layers {@code SecondOrderGraphTest} checks:
 * dropout (on the input and after Dense layers, where fusion would otherwise fold it), concatenation with a layer
 * read twice, and an embedding over token ids. Smooth activations, so that finite differences are a fair reference.
 */
final class SecondOrderGraphNets {
    private SecondOrderGraphNets() {
    }

    /** Dropout on the network input and after two hidden Dense layers, a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class Dropped {
        @Dropout(rate = 0.2) Layer drop0;
        @Dense(units = 6, activation = Activation.TANH) Layer h1;
        @Dropout(rate = 0.3) Layer drop1;
        @Dense(units = 5, activation = Activation.SIGMOID) Layer h2;
        @Dropout(rate = 0.25) Layer drop2;
        @Dense(units = 3) Layer out;
    }

    /** {@link Dropped} without the R-passes: fusion folds its dropouts into the Dense layers before them. */
    @Network(input = {4})
    abstract static class DroppedFused {
        @Dropout(rate = 0.2) Layer drop0;
        @Dense(units = 6, activation = Activation.TANH) Layer h1;
        @Dropout(rate = 0.3) Layer drop1;
        @Dense(units = 5, activation = Activation.SIGMOID) Layer h2;
        @Dropout(rate = 0.25) Layer drop2;
        @Dense(units = 3) Layer out;
    }

    /** Two branches joined, the first read by the second and by the join (a skip connection), a classifier. */
    @Network(input = {4}, secondOrder = true)
    abstract static class Joined {
        @Dense(units = 3, activation = Activation.TANH) Layer a;
        @Dense(units = 4, activation = Activation.SOFTPLUS) Layer b;
        @Concat(of = {"a"}, withPrevious = true) Layer joined;
        @Dense(units = 3) Layer out;
    }

    /** Token ids through an embedding and a dropout, a Dense layer at every step, softmax at every step. */
    @Network(tokens = 5, steps = 4, secondOrder = true)
    abstract static class Tokens {
        @Embedding(dim = 3) Layer embed;
        @Dropout(rate = 0.2) Layer drop;
        @Dense(units = 4, activation = Activation.TANH) Layer h;
        @Dense(units = 5) Layer next;
    }
}
