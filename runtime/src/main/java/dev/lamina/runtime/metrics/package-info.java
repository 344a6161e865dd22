/**
 * Classification and regression metrics computed from a model's scores and a data set's targets: the confusion
 * matrix, per-class precision, recall and F1 with their macro and weighted means, top-k accuracy, ROC AUC for binary
 * outputs, RMSE, MAE and R². A package of its own rather than {@code train}: the metrics need only scores and
 * targets (no trainer, optimizer or loss), so they serve {@code predict}'s output as well as the training loop.
 * Conventions are scikit-learn's (1.2) and are checked against its values in the tests; where a metric is undefined
 * the choice is said on the method.
 */
package dev.lamina.runtime.metrics;
