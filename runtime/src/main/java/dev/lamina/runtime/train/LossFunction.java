package dev.lamina.runtime.train;

/**
 * A loss written in Java, which {@link Trainer#loss(LossFunction)} trains with instead of the network's fused
 * built-in ({@link dev.lamina.dsl.Loss}): each step runs the forward pass, reads the outputs, asks this function
 * for the mean loss and its gradient with respect to every output, and starts the backward pass from that
 * gradient ({@link dev.lamina.runtime.Model#backward(int, float[])}). The outputs are what the last layer computes
 * (raw scores where it has the identity activation), not passed through the fused loss's softmax or sigmoid.
 *
 * <p>Built-ins, each compared with PyTorch in the runtime's tests (docs/PYTORCH.md, "Losses written in Java"):
 * {@link #meanSquaredError()}, {@link #multiMargin()}, {@link #smoothL1(double)}, {@link #huber(double)},
 * {@link #crossEntropyOverPositions()}. They compute in double and store the gradient as float.
 *
 * <pre>{@code
 * Trainer.of(net).loss(LossFunction.multiMargin()).optimizer(Optimizer.sgd(0.1)).fit(train, validation);
 * }</pre>
 */
public interface LossFunction {

    /**
     * The mean loss over the batch's rows and, when {@code gradient} is not null, the derivative of that mean with
     * respect to each output, written into {@code gradient} (overwritten; laid out as the outputs, so it already
     * carries the {@code 1 / rows} of the mean).
     *
     * @param batch the outputs of the last forward pass and their targets
     * @param gradient null (the value only, as an evaluation needs), or {@code batch.rows() x batch.size()} floats
     * @return the mean loss over the batch
     * @throws IllegalArgumentException for an output shape or targets this loss does not take (expected vs found)
     */
    double loss(OutputBatch batch, float[] gradient);

    /**
     * {@return whether the outputs are class scores this loss can count right answers of ({@link #correct}); then the
     * trainer records an accuracy, and early stopping may watch it}
     */
    default boolean classifies() {
        return false;
    }

    /**
     * {@return how many of the batch's rows are classified right (a row scored at several positions counts the share of
     * its positions right); NaN for a loss whose outputs are not class scores}
     *
     * @param batch the outputs and targets of a batch
     */
    default double correct(OutputBatch batch) {
        return Double.NaN;
    }

    /**
     * {@code 1/2 sum_k (y_k - t_k)^2}, mean over the batch: the fused {@code MEAN_SQUARED_ERROR} in Java.
     *
     * @return the loss
     */
    static LossFunction meanSquaredError() {
        return new MeanSquaredErrorLoss();
    }

    /**
     * {@return the multi-class hinge loss with margin 1: PyTorch's {@code MultiMarginLoss()} ({@link MultiMarginLoss})}
     */
    static LossFunction multiMargin() {
        return new MultiMarginLoss(1);
    }

    /**
     * {@return the multi-class hinge loss: PyTorch's {@code MultiMarginLoss(p=1, margin=margin)} ({@link
     * MultiMarginLoss})}
     *
     * @param margin the margin each wrong class's score must stay below the right one's by
     */
    static LossFunction multiMargin(double margin) {
        return new MultiMarginLoss(margin);
    }

    /**
     * Smooth L1 with threshold {@code beta >= 0} (0: L1), summed over outputs ({@link SmoothL1Loss}).
     *
     * @param beta the threshold below which the loss is quadratic
     * @return the loss
     */
    static LossFunction smoothL1(double beta) {
        return new SmoothL1Loss(beta);
    }

    /**
     * Huber with threshold {@code delta > 0}, summed over outputs ({@link HuberLoss}).
     *
     * @param delta the threshold below which the loss is quadratic
     * @return the loss
     */
    static LossFunction huber(double delta) {
        return new HuberLoss(delta);
    }

    /**
     * Softmax cross-entropy at every position of an image output (segmentation), mean over rows and positions:
     * PyTorch's {@code CrossEntropyLoss} on an {@code [N, C, H, W]} output ({@link PositionwiseCrossEntropyLoss}).
     *
     * @return the loss
     */
    static LossFunction crossEntropyOverPositions() {
        return new PositionwiseCrossEntropyLoss();
    }
}
