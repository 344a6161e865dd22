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
    /** Number of output channels; positive. */
    int filters();

    /** Square kernel size; positive. */
    int kernel();

    int stride() default 1;

    int padding() default 0;

    /** Extra rows and columns on the bottom and right of the output; less than the stride. */
    int outputPadding() default 0;

    boolean bias() default true;

    Activation activation() default Activation.IDENTITY;

    /** See {@link Dense#alpha()}. */
    double alpha() default Double.NaN;

    Init init() default Init.DEFAULT;

    double initStd() default 0.01;

    /** See {@link Conv#from()}. */
    String from() default "";
}
