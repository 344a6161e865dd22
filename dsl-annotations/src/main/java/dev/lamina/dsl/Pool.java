package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Spatial pooling over a {@code [C, H, W]} input, per channel, without padding: windows that do not fit are
 * dropped (floor), as in PyTorch. Overlapping pooling is {@code stride < kernel}.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Pool {
    PoolKind kind() default PoolKind.MAX;

    int kernel() default 2;

    /** Step between windows; 0 means equal to the kernel (non-overlapping). */
    int stride() default 0;
}
