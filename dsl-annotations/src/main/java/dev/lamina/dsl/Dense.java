package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A fully connected layer {@code y = f(W x + b)}, W of shape {@code [units, inputs]}. */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Dense {
    /** {@return number of output units; positive} */
    int units();

    /**
     * Activation applied to the output in the same pass ({@link Activation#IDENTITY}, the default: none).
     *
     * @return the activation of the output
     */
    Activation activation() default Activation.IDENTITY;

    /**
     * alpha of LEAKY_RELU (default 0.01) and ELU (default 1.0), cap of RELU6 (default 6); NaN means the default.
     *
     * @return the activation's parameter, or NaN for its default
     */
    double alpha() default Double.NaN;

    /** {@return whether the layer adds a learned bias per unit} */
    boolean bias() default true;

    /** {@return how the weights are initialised; {@link Init#DEFAULT} picks He or Xavier from the activation} */
    Init init() default Init.DEFAULT;

    /**
     * Standard deviation for {@link Init#GAUSSIAN}.
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
