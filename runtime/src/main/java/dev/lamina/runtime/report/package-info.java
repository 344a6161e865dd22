/**
 * The HTML report of a training run ({@link dev.lamina.runtime.report.RunReport}): one self-contained page with the
 * history, the training curves, the validation confusion matrix, the network's summary, the settings, the hardware
 * and pictures the caller adds, opened in a browser with no server.
 */
package dev.lamina.runtime.report;
