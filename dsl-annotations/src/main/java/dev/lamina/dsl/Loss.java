package dev.lamina.dsl;

/**
 * The loss a network is trained with. Every loss is the mean over the mini-batch of the per-sample loss.
 * The output layer must produce raw scores (identity activation) for the two cross-entropy losses: the loss applies
 * softmax or sigmoid itself, fused with its gradient {@code y - t}.
 */
public enum Loss {
    /** Softmax over the outputs, then {@code -sum_k t_k ln y_k}; targets one-hot or soft (label smoothing). */
    SOFTMAX_CROSS_ENTROPY,
    /** Independent sigmoids, then {@code -sum_k t_k ln y_k + (1 - t_k) ln(1 - y_k)}. */
    SIGMOID_CROSS_ENTROPY,
    /** {@code 1/2 sum_k (y_k - t_k)^2} on the output as it is (sum over outputs, mean over the batch). */
    MEAN_SQUARED_ERROR
}
