package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static nested class whose layer fields are the main path of a user-defined residual block, used by
 * {@code @Residual(custom = ThatClass.class, ...)}: the stage runs the fields in declaration order on each block's
 * input, adds the shortcut and applies the stage's activation. Sizes written {@link Residual#STAGE} take the
 * stage's: a convolution's {@code filters} its {@code filters}, a {@code stride} its stride (in its first block;
 * 1 in the others), so one block class serves stages of any width.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Block {
}
