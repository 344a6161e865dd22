package dev.lamina.processor.ops.convtranspose;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.conv.ConvolutionSecondOrder;
import dev.lamina.processor.ops.conv.ConvolutionTaps;

/**
 * A ConvTranspose layer's R-rules: those of a convolution ({@link ConvolutionSecondOrder}) with the roles of its
 * sides swapped, the input the small side and the output the big one, weights {@code [in channels][kernel][kernel]
 * [filters]}; the output padding only makes the big side larger.
 */
final class ConvTransposeSecondOrder implements SecondOrderJava<Op.ConvTranspose> {
    static final ConvTransposeSecondOrder RULES = new ConvTransposeSecondOrder();

    private ConvTransposeSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.ConvTranspose t, Node node, SecondOrderContext c) {
        return rules(t, node).rForward(node, c);
    }

    @Override
    public CodeBlock rBackward(Op.ConvTranspose t, Node node, SecondOrderContext c) {
        return rules(t, node).rBackward(node, c);
    }

    private static ConvolutionSecondOrder rules(Op.ConvTranspose t, Node node) {
        ConvolutionTaps taps = new ConvolutionTaps(node.in().height(), node.in().width(), node.in().channels(),
                node.out().height(), node.out().width(), t.filters(), t.kernel(), t.kernel(), t.stride(),
                t.padding(), t.padding(), 1, 1);
        return new ConvolutionSecondOrder(taps, true, t.activation(), t.bias(), null, false);
    }
}
