package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Looks up a learned vector for each token id of a token sequence ({@link Network#tokens}):
 * {@code [steps] -> [steps, dim]}, a table {@code weight [tokens, dim]} drawn from N(0, 1) as PyTorch does. It is
 * the first layer of a network over tokens; an id outside {@code [0, tokens)} is a run-time error that names it.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Embedding {
    /** {@return size of each token's vector; positive} */
    int dim();
}
