package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the input's values a new shape with the same number of elements: one size for a vector
 * {@code [features]}, two for a sequence {@code [steps, features]}, three for an image {@code [C, H, W]}; for example
 * {@code @Reshape({64, 7, 7})} after a {@code @Dense(units = 3136)} starts a DCGAN-style generator.
 *
 * <p>The values keep Lamina's storage order, channels last (an image's values run {@code (h, w, c)}, a sequence's
 * step after step), which makes a reshape the exact inverse of a {@link Flatten} and free at run time: the data do
 * not move. It differs from PyTorch's {@code view}, which reads a vector in {@code (c, h, w)} order; a PyTorch
 * model's weights on either side of a reshape are permuted accordingly.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Reshape {
    /** {@return the new shape: {@code {features}}, {@code {steps, features}} or {@code {channels, height, width}}} */
    int[] value();

    /**
     * See {@link Conv#from()}.
     *
     * @return the field of the layer this one reads, or empty for the one declared just before
     */
    String from() default "";
}
