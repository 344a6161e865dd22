package dev.lamina.runtime.train;

/**
 * What one epoch did. Accuracies are NaN where the loss is not a classification loss; validation figures are NaN
 * when there is no validation set.
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                          double validationAccuracy, double learningRate, double seconds, double samplesPerSecond) {
}
