package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns {@code [C, H, W]} into {@code [C H W]}. Optional: a {@link Dense} after an image-shaped layer flattens
 * implicitly. It costs nothing at run time (the data does not move).
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Flatten {
}
