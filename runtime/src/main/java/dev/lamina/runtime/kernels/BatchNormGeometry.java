package dev.lamina.runtime.kernels;

/**
 * The sizes and constants of one batch norm, baked into the generated code as a constant.
 *
 * @param channels channels (a dense layer's features)
 * @param positions values of each channel per sample: {@code height * width} for an image, 1 for a vector; the
 *                  statistics run over every position of every row
 * @param epsilon added to the variance
 * @param momentum the running statistics' step toward the batch's
 */
public record BatchNormGeometry(int channels, int positions, float epsilon, float momentum) {
}
