package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2D convolution (cross-correlation, as every library computes it) over a {@code [C, H, W]} input, with zero
 * padding. Output size per axis: {@code floor((n + 2 padding - dilation (kernel - 1) - 1) / stride) + 1}.
 * Parameters: {@code (kernel^2 C + 1) filters} with bias.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Conv {
    /** {@return number of output channels; positive} */
    int filters();

    /**
     * Square kernel size; positive.
     *
     * @return the kernel's height and width
     */
    int kernel();

    /** {@return step of the kernel in both directions; positive} */
    int stride() default 1;

    /** {@return zero padding on every side; use {@code kernel / 2} (odd kernels, stride 1) for "same"} */
    int padding() default 0;

    /**
     * Spacing between kernel taps (atrous convolution); effective kernel {@code k + (k - 1)(dilation - 1)}.
     *
     * @return the dilation; at least 1
     */
    int dilation() default 1;

    /**
     * {@return whether the layer adds a learned bias per output channel (false, for example, when a batch norm
     * follows)}
     */
    boolean bias() default true;

    /**
     * Groups the channels: group g's filters see only group g's input channels (both counts must divide by it).
     * {@code groups} equal to the input channels is a depthwise convolution.
     *
     * @return the number of channel groups; at least 1
     */
    int groups() default 1;

    /**
     * Activation applied to the output in the same pass ({@link Activation#IDENTITY}, the default: none).
     *
     * @return the activation of the output
     */
    Activation activation() default Activation.IDENTITY;

    /**
     * See {@link Dense#alpha()}.
     *
     * @return the activation's parameter, or NaN for its default
     */
    double alpha() default Double.NaN;

    /** {@return how the weights are initialised; {@link Init#DEFAULT} picks He or Xavier from the activation} */
    Init init() default Init.DEFAULT;

    /**
     * Standard deviation of the weights for {@link Init#GAUSSIAN}; ignored by the other initialisations.
     *
     * @return the Gaussian initialisation's standard deviation
     */
    double initStd() default 0.01;

    /**
     * {@return the field of an earlier layer this one reads, for a branch; empty (the default) reads the layer declared
     * just
     * before}
     */
    String from() default "";
}
