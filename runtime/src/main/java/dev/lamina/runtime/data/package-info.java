/**
 * Data sets in memory ({@link dev.lamina.runtime.data.Dataset}: features channels first, targets one-hot or
 * values) and their readers: CSV, the IDX files of MNIST and Fashion-MNIST, one-hot encoding and standardisation.
 */
package dev.lamina.runtime.data;
