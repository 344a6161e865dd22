package dev.lamina.runtime.kernels;

/**
 * The sizes and constants of one local response normalisation across channels, baked into the generated code as a
 * constant: {@code y = x / (k + alpha / size * sum x^2)^beta} over a window of {@code size} channels.
 *
 * @param positions positions per sample ({@code height * width})
 * @param channels channels
 * @param size the window of channels
 * @param alpha the sum's scale
 * @param beta the exponent
 * @param k the base
 */
public record ResponseNormGeometry(int positions, int channels, int size, float alpha, float beta, float k) {
}
