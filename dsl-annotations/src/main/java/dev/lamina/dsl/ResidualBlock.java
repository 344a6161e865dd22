package dev.lamina.dsl;

/** The built-in blocks of {@link Residual}, as in He et al. (2016) and torchvision. */
public enum ResidualBlock {
    /**
     * {@code conv3x3(filters, stride) - BN - act - conv3x3(filters) - BN}, plus the shortcut, then the activation:
     * {@code filters} output channels (ResNet-18 and -34).
     */
    BASIC,
    /**
     * {@code conv1x1(filters) - BN - act - conv3x3(filters, stride) - BN - act - conv1x1(4 filters) - BN}, plus
     * the shortcut, then the activation: {@code 4 filters} output channels (ResNet-50 and deeper).
     */
    BOTTLENECK
}
