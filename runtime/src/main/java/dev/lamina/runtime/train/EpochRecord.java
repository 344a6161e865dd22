package dev.lamina.runtime.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * @param metrics the metrics chosen with {@link Trainer#metrics}, by column name ({@code train_f1_macro},
 *        {@code validation_f1_macro}), in the order of the columns; empty when none was chosen
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                          double validationAccuracy, double learningRate, double seconds, double samplesPerSecond,
                          Map<String, Double> metrics) {

    /** Keeps the metrics' order and makes them unmodifiable. */
    public EpochRecord {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * A record without metrics.
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
    public EpochRecord(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                       double validationAccuracy, double learningRate, double seconds, double samplesPerSecond) {
        this(epoch, trainLoss, trainAccuracy, validationLoss, validationAccuracy, learningRate, seconds,
                samplesPerSecond, Map.of());
    }

    /**
     * {@return the metric of that column name, or NaN when it was not recorded}
     *
     * @param column a column name, {@code train_} or {@code validation_} and the metric's name
     */
    public double metric(String column) {
        Double v = metrics.get(column);
        return v == null ? Double.NaN : v;
    }
}
