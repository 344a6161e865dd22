package dev.lamina.processor.diag;

import java.util.Set;

/**
 * What the reader reported and so could not read as written. The checks after it skip what depends on these, so
 * that one mistake is reported once, not again by every rule that would reason from the refused value.
 *
 * @param input      the {@code @Network} input was refused: no shape can be inferred
 * @param references a layer's reference to another ({@code from}, a concatenation's part) was refused: the graph's
 *                   wiring is not what the user wrote
 * @param layers     the ids of the nodes whose op is not what the user wrote (a non-finite value, a refused block
 *                   class, a refused reference, two layer annotations on one field)
 */
public record Unread(boolean input, boolean references, Set<Integer> layers) {
    public Unread {
        layers = Set.copyOf(layers);
    }
}
