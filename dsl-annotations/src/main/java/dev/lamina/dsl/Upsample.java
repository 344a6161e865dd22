package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Nearest-neighbour unpooling of an image: each input value fills a {@code scale x scale} block,
 * {@code [C, H, W] -> [C, scale H, scale W]}; the gradient of a block is summed back.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Upsample {
    int scale() default 2;

    /** See {@link Conv#from()}. */
    String from() default "";
}
