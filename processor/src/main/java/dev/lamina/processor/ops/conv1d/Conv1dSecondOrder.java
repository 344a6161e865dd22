package dev.lamina.processor.ops.conv1d;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.conv.ConvolutionSecondOrder;
import dev.lamina.processor.ops.conv.ConvolutionTaps;

/**
 * A Conv1d layer's R-rules: those of a convolution ({@link ConvolutionSecondOrder}) one row high, the steps its
 * columns and the features its channels, weights {@code [filters][kernel][features]}.
 */
final class Conv1dSecondOrder implements SecondOrderJava<Op.Conv1d> {
    static final Conv1dSecondOrder RULES = new Conv1dSecondOrder();

    private Conv1dSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Conv1d conv, Node node, SecondOrderContext c) {
        return rules(conv, node).rForward(node, c);
    }

    @Override
    public CodeBlock rBackward(Op.Conv1d conv, Node node, SecondOrderContext c) {
        return rules(conv, node).rBackward(node, c);
    }

    private static ConvolutionSecondOrder rules(Op.Conv1d conv, Node node) {
        ConvolutionTaps taps = new ConvolutionTaps(1, node.out().steps(), conv.filters(), 1, node.in().steps(),
                node.in().features(), 1, conv.kernel(), conv.stride(), 0, conv.padding(), conv.dilation(), 1);
        return new ConvolutionSecondOrder(taps, false, conv.activation(), conv.bias(), null, false);
    }
}
