package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A transposed 2D convolution (the adjoint of a convolution with the same kernel, stride and padding: a decoder's
 * upsampling step). Output size per axis: {@code (n - 1) stride - 2 padding + kernel + outputPadding}, where
 * {@code outputPadding < stride} picks among the sizes a strided convolution maps to the same input size.
 * Parameters {@code weight [in channels, kernel, kernel, filters]} and {@code bias [filters]}.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface ConvTranspose {
    /** {@return number of output channels; positive} */
    int filters();

    /**
     * Square kernel size; positive.
     *
     * @return the kernel's height and width
     */
    int kernel();

    /**
     * {@return step of the kernel over the output: the output is about {@code stride} times the input's height and
     * width;
     * positive}
     */
    int stride() default 1;

    /**
     * {@return rows and columns cropped from every side of the full output ({@code padding} of PyTorch's {@code
     * ConvTranspose2d}); at least 0}
     */
    int padding() default 0;

    /**
     * Extra rows and columns on the bottom and right of the output; less than the stride.
     *
     * @return the output padding, in [0, stride)
     */
    int outputPadding() default 0;

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
