/**
 * Training a {@link dev.lamina.runtime.Model}: {@link dev.lamina.runtime.train.Trainer} (the loop: batches, epochs,
 * validation, early stopping, listeners), the {@link dev.lamina.runtime.train.Optimizer}s, regularizers,
 * constraints, learning-rate schedules, losses written in Java, and {@link dev.lamina.runtime.train.GanTrainer}.
 */
package dev.lamina.runtime.train;
