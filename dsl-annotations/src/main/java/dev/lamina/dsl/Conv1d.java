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
    /** Number of output features per step; positive. */
    int filters();

    /** Steps the kernel spans; positive. */
    int kernel();

    int stride() default 1;

    int padding() default 0;

    int dilation() default 1;

    boolean bias() default true;

    Activation activation() default Activation.IDENTITY;

    /** See {@link Dense#alpha()}. */
    double alpha() default Double.NaN;

    Init init() default Init.DEFAULT;

    double initStd() default 0.01;

    /** See {@link Conv#from()}. */
    String from() default "";
}
