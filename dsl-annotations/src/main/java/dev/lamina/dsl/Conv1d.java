package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 1D convolution (cross-correlation) along the steps of a sequence {@code [steps, features]}:
 * {@code [T, F] -> [T', filters]} with {@code T' = floor((T + 2 padding - dilation (kernel - 1) - 1) / stride) + 1},
 * zero padding at both ends. Parameters {@code weight [filters, kernel, features]} and {@code bias [filters]}.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Conv1d {
    /** {@return number of output features per step; positive} */
    int filters();

    /** {@return steps the kernel spans; positive} */
    int kernel();

    /** {@return steps the kernel moves between outputs; positive} */
    int stride() default 1;

    /** {@return zero steps added at each end of the sequence; at least 0} */
    int padding() default 0;

    /**
     * Spacing between the kernel's taps, in steps; 1 is an ordinary convolution.
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
     * See {@link Conv#from()}.
     *
     * @return the field of the layer this one reads, or empty for the one declared just before
     */
    String from() default "";
}
