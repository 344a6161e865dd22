package dev.lamina.processor.ops.add;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ActivationCurvature;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * An Add layer's R-rules (a residual block's sum), {@code s = x_1 + x_2}, {@code y = h(s)}: forward
 * {@code R{s} = R{x_1} + R{x_2}}, {@code R{y} = h'(s) R{s}}; backward {@code g_s = h'(s) g_y},
 * {@code R{g_s} = h''(s) R{s} g_y + h'(s) R{g_y}}, both handed unchanged to every operand (the network input, which
 * has no R and needs no gradient, excepted). No parameters. An operand's arrays are its node's, so an operand whose
 * batch norm fusion folded into this add keeps its own R-rules.
 */
final class AddSecondOrder implements SecondOrderJava<Op.Add> {
    static final AddSecondOrder RULES = new AddSecondOrder();

    private AddSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Add add, Node node, SecondOrderContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("double[] $L = new double[n * $L]", c.own("Rs"), node.out().size());
        b.add("{\n").indent();
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("for (int i = 0; i < n * $L; i++)", node.out().size());
        StringBuilder sum = new StringBuilder("0.0");
        for (int input : node.inputs()) {
            if (!c.readsNetworkInput(input)) {
                sum.append(" + ").append(c.rIn(input)).append("[i]");
            }
        }
        b.addStatement("double s = $L", sum);
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("$L[i] = s", c.own("Rs"));
        b.addStatement("$L[i] = $L * s", c.rOut(), ActivationCurvature.first(add.activation(), "y"));
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    @Override
    public CodeBlock rBackward(Op.Add add, Node node, SecondOrderContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("for (int i = 0; i < n * $L; i++)", node.out().size());
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("double h1 = $L", ActivationCurvature.first(add.activation(), "y"));
        b.addStatement("double h2 = $L", ActivationCurvature.second(add.activation(), "y"));
        b.addStatement("double gs = h1 * $L[i]", c.dOut());
        b.addStatement("double rgs = h2 * $L[i] * $L[i] + h1 * $L[i]", c.own("Rs"), c.dOut(), c.rdOut());
        for (int input : node.inputs()) {
            if (!c.readsNetworkInput(input)) {
                b.addStatement("$L[i] += gs", c.dIn(input));
                b.addStatement("$L[i] += rgs", c.rdIn(input));
            }
        }
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }
}
