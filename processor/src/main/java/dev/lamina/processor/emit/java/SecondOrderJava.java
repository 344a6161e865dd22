package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A layer kind's R-rules (Pearlmutter's R-operator, {@code R{f} = d/dr f(w + r v)} at {@code r = 0}) as Java: the
 * R-forward step, which gives {@code R{output}} from {@code R{input}} and the direction {@code v}, and the
 * R-backward step, which gives the ordinary gradient at its input and its R, and adds the layer's share of
 * {@code H v} into the parameters' entries. {@link SecondOrderContext} names the arrays. A kind that has no R-rules
 * yet answers null from {@code OpKind.secondOrder()}, and a network that asks for the R-passes may not hold it
 * (a compile error on the layer, never a wrong product).
 *
 * @param <T> the IR record of the kind
 */
public interface SecondOrderJava<T extends Op> {
    /** The R-rules of a view (flatten, reshape): the identity, so its arrays are its input's and it writes nothing. */
    SecondOrderJava<Op> VIEW = new SecondOrderJava<>() {
        @Override
        public CodeBlock rForward(Op op, Node node, SecondOrderContext c) {
            return CodeBlock.of("");
        }

        @Override
        public CodeBlock rBackward(Op op, Node node, SecondOrderContext c) {
            return CodeBlock.of("");
        }
    };

    /** {@code R{output}} of the whole batch from {@code R{input}} (none when the input is the network's). */
    CodeBlock rForward(T op, Node node, SecondOrderContext c);

    /**
     * From the gradient at the output and its R: the gradient at the input and its R (when the input is a layer),
     * and the layer's terms of {@code H v}.
     */
    CodeBlock rBackward(T op, Node node, SecondOrderContext c);

    /** {@return the view rules typed for a view kind {@code T}} */
    @SuppressWarnings("unchecked")
    static <T extends Op> SecondOrderJava<T> view() {
        return (SecondOrderJava<T>) (SecondOrderJava<?>) VIEW;
    }
}
