package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Concatenates the outputs of earlier layers, named by their fields, along channels (images of one height and
 * width) or features (vectors): the end of parallel branches (Inception) or a skip connection (U-Net). With
 * {@code withPrevious} the layer declared just before comes first.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Concat {
    /** {@return the fields whose outputs are joined, in this order} */
    String[] of();

    /**
     * {@return whether the layer declared just before is the first part (a skip connection joins it to an earlier one)}
     */
    boolean withPrevious() default false;
}
