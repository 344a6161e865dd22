package dev.lamina.runtime.kernels;

/**
 * The sizes of one nearest-neighbour upsampling over channels-last images, baked into the generated code as a
 * constant.
 *
 * @param height input height
 * @param width input width
 * @param channels channels
 * @param scale the factor along each side
 */
public record UpsampleGeometry(int height, int width, int channels, int scale) {
}
