package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Local response normalisation across channels (AlexNet): at each position,
 * {@code b_c = a_c / (k + alpha / size * sum a_j^2)^beta}, the sum over the {@code size} channels centred on
 * {@code c}: channels {@code [c - size/2, c + (size-1)/2]} (for an even size the extra one before {@code c}),
 * clipped at the ends, as PyTorch's {@code LocalResponseNorm}.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface LocalResponseNorm {
    /** {@return channels in the window each channel is normalised over, itself included; positive} */
    int size() default 5;

    /**
     * Scale of the window's sum of squares (divided by {@code size}, as PyTorch does).
     *
     * @return the scale of the sum of squares
     */
    double alpha() default 1e-4;

    /**
     * Exponent the denominator is raised to.
     *
     * @return the exponent
     */
    double beta() default 0.75;

    /**
     * Constant added to the scaled sum before the exponent; positive keeps the denominator away from 0.
     *
     * @return the additive constant
     */
    double k() default 2.0;
}
