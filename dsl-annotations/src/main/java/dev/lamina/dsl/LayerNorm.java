package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Layer normalisation over the last axis: each sample's features (a vector), each step's features (a sequence),
 * or each position's channels (an image), {@code y = f(gamma (x - mean) / sqrt(var + epsilon) + beta)} with the
 * mean and biased variance of those values alone, so training and inference compute the same thing (PyTorch's
 * {@code LayerNorm(last dim)} on channels-last data).
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface LayerNorm {
    /**
     * Added to the variance before its square root, so that a constant row does not divide by 0; positive.
     *
     * @return the variance's epsilon
     */
    double epsilon() default 1e-5;

    /**
     * Activation applied after the affine transform, in the same pass.
     *
     * @return the activation after the normalisation
     */
    Activation activation() default Activation.IDENTITY;

    /**
     * See {@link Dense#alpha()}: the activation's parameter; NaN (the default) takes the activation's own default.
     *
     * @return the activation's parameter, or NaN for its default
     */
    double alpha() default Double.NaN;
}
