package dev.lamina.processor.ops.conv;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A Conv layer's R-rules ({@link ConvolutionSecondOrder}): strides, padding, dilation, groups, bias, the fused
 * activation and a max pool that fusion folded in.
 */
final class ConvSecondOrder implements SecondOrderJava<Op.Conv> {
    static final ConvSecondOrder RULES = new ConvSecondOrder();

    private ConvSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Conv conv, Node node, SecondOrderContext c) {
        return rules(conv, node).rForward(node, c);
    }

    @Override
    public CodeBlock rBackward(Op.Conv conv, Node node, SecondOrderContext c) {
        return rules(conv, node).rBackward(node, c);
    }

    private static ConvolutionSecondOrder rules(Op.Conv conv, Node node) {
        ConvolutionTaps taps = new ConvolutionTaps(node.ownOut().height(), node.ownOut().width(), conv.filters(),
                node.in().height(), node.in().width(), node.in().channels(), conv.kernel(), conv.kernel(),
                conv.stride(), conv.padding(), conv.padding(), conv.dilation(), conv.groups());
        return new ConvolutionSecondOrder(taps, false, conv.activation(), conv.bias(),
                node.hasFusedPool() ? node.pool().op() : null, true);
    }
}
