package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Spatial pooling over a {@code [C, H, W]} input, per channel: windows that do not fit are dropped (floor), as in
 * PyTorch. Overlapping pooling is {@code stride < kernel}. Max pooling may pad (with minus infinity: a window
 * then takes the maximum of the inputs it covers), which keeps the size for a 3x3, stride-1 branch.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Pool {
    /** {@return whether each window gives its maximum or its mean} */
    PoolKind kind() default PoolKind.MAX;

    /** {@return height and width of the square window; positive} */
    int kernel() default 2;

    /** {@return step between windows; 0 means equal to the kernel (non-overlapping)} */
    int stride() default 0;

    /**
     * Padding on each side (max pooling only).
     *
     * @return the padding on each side; at least 0
     */
    int padding() default 0;

    /**
     * {@return the field of an earlier layer this one reads, for a branch; empty (the default) reads the layer declared
     * just
     * before}
     */
    String from() default "";
}
