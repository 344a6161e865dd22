package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inverted dropout: in training each unit is dropped with probability {@code rate} (a new mask per mini-batch)
 * and kept units are scaled by {@code 1 / (1 - rate)}; at inference it is the identity. After a {@link Dense} or
 * {@link Conv} it is fused into that layer's bias + activation pass.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Dropout {
    /** {@return probability of dropping a unit, in [0, 1)} */
    double rate();
}
