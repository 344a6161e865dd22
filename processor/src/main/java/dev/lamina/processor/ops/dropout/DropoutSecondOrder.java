package dev.lamina.processor.ops.dropout;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A Dropout layer's R-rules, {@code y = m x} with {@code m} the mask the last forward pass drew and kept in the
 * arena ({@code 0} or {@code 1 / (1 - rate)} in training, ones in inference): linear with a constant factor, so
 * {@code R{y} = m R{x}}, and backward {@code g_x = m g_y}, {@code R{g_x} = m R{g_y}}. Reading the kept mask is what
 * makes the product belong to the forward pass it follows. In a network that asks for the R-passes a dropout is
 * never folded into the layer before it ({@code fuse/Fusion}), since that layer's R-rules need its own outputs
 * before the mask, which a folded dropout overwrites.
 */
final class DropoutSecondOrder implements SecondOrderJava<Op.Dropout> {
    static final DropoutSecondOrder RULES = new DropoutSecondOrder();

    private DropoutSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Dropout op, Node node, SecondOrderContext c) {
        if (c.readsNetworkInput()) {
            return CodeBlock.of("// the network input has no R: R{output} stays 0\n");
        }
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int m = $L * n", c.constant("MASK"));
        b.beginControlFlow("for (int i = 0; i < n * $L; i++)", node.out().size());
        b.addStatement("$L[i] = a.get(m + i) * $L[i]", c.rOut(), c.rIn());
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    @Override
    public CodeBlock rBackward(Op.Dropout op, Node node, SecondOrderContext c) {
        if (c.readsNetworkInput()) {
            return CodeBlock.of("// no parameters, and no gradient for the network input\n");
        }
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int m = $L * n", c.constant("MASK"));
        b.beginControlFlow("for (int i = 0; i < n * $L; i++)", node.out().size());
        b.addStatement("double keep = a.get(m + i)");
        b.addStatement("$L[i] += keep * $L[i]", c.dIn(), c.dOut());
        b.addStatement("$L[i] += keep * $L[i]", c.rdIn(), c.rdOut());
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }
}
