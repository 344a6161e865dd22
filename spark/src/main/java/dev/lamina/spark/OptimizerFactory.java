package dev.lamina.spark;

import dev.lamina.runtime.train.Optimizer;
import java.io.Serializable;

/**
 * Builds the optimizer: on the driver for synchronous training (one step there per global batch), and once per
 * partition on the executors for local SGD. A serializable lambda, for example {@code () -> Optimizer.momentum(0.05,
 * 0.9)}.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /** {@return a new optimizer with no state} */
    Optimizer create();
}
