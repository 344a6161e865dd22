package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Unpooling of an image. By default nearest-neighbour: each input value fills a {@code scale x scale} block,
 * {@code [C, H, W] -> [C, scale H, scale W]}, and the gradient of a block is summed back. With {@code pool} naming
 * an earlier max pool, max-unpooling: each value goes back to where that pool found its maximum, zeros elsewhere,
 * and the output has the pool's input shape (the input must have its output shape).
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Upsample {
    /**
     * Factor by which height and width grow (each value is repeated {@code scale x scale} times); at least 2.
     *
     * @return the scale factor
     */
    int scale() default 2;

    /** {@return the max pool whose winners place the values (max-unpooling); empty for nearest-neighbour} */
    String pool() default "";

    /**
     * See {@link Conv#from()}.
     *
     * @return the field of the layer this one reads, or empty for the one declared just before
     */
    String from() default "";
}
