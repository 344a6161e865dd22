package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Batch normalisation, per feature (vectors) or per channel (images, over batch, height and width):
 * {@code y = f(gamma (x - mu_B) / sqrt(var_B + epsilon) + beta)}. Training mode uses the batch statistics and
 * updates the running ones ({@code running = (1 - momentum) running + momentum batch}, unbiased variance, as
 * PyTorch); inference mode uses the running statistics.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface BatchNorm {
    /**
     * Weight of each training batch in the running statistics: {@code running = (1 - momentum) running + momentum
     * batch}, as PyTorch; in (0, 1].
     *
     * @return the running statistics' momentum
     */
    double momentum() default 0.1;

    /**
     * Added to the variance before its square root, so that a constant channel does not divide by 0; positive.
     *
     * @return the variance's epsilon
     */
    double epsilon() default 1e-5;

    /**
     * Activation applied after the affine transform, fused into the same pass.
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

    /**
     * {@return the field of an earlier layer this one reads, for a branch; empty (the default) reads the layer declared
     * just
     * before}
     */
    String from() default "";
}
