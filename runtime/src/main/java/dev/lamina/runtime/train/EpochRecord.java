package dev.lamina.runtime.train;

/**
 * What one epoch did. Accuracies are NaN where the loss is not a classification loss; validation figures are NaN
 * when there is no validation set.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss the mean loss of the epoch's batches
 * @param trainAccuracy the share of training samples classified right during the epoch
 * @param validationLoss the mean loss on the validation set after the epoch
 * @param validationAccuracy the share of the validation set classified right after the epoch
 * @param learningRate the epoch's learning rate
 * @param seconds the epoch's wall time
 * @param samplesPerSecond training samples per second
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                          double validationAccuracy, double learningRate, double seconds, double samplesPerSecond) {
}
