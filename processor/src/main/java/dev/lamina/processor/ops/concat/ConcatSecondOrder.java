package dev.lamina.processor.ops.concat;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A Concat layer's R-rules: the join is linear and has no parameters, so {@code R{y}} joins the parts' R as the
 * forward pass joins their values (channels last, each part's channels at its offset in every position), and the
 * gradient and its R at the output are split back, added into each part's (a part may have other readers). A
 * part that is the network input has no R (zeros) and takes no gradient.
 */
final class ConcatSecondOrder implements SecondOrderJava<Op.Concat> {
    static final ConcatSecondOrder RULES = new ConcatSecondOrder();

    private ConcatSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Concat op, Node node, SecondOrderContext c) {
        return parts(node, c, true);
    }

    @Override
    public CodeBlock rBackward(Op.Concat op, Node node, SecondOrderContext c) {
        return parts(node, c, false);
    }

    /** One loop per part over every position of the batch: R copied in (forward), or both gradients out. */
    private static CodeBlock parts(Node node, SecondOrderContext c, boolean forward) {
        int total = node.out().channels();
        int positions = node.out().size() / total;
        CodeBlock.Builder b = CodeBlock.builder();
        int offset = 0;
        for (int part : node.inputs()) {
            int channels = c.graph().node(part).out().size() / positions;
            if (!c.readsNetworkInput(part)) {
                b.beginControlFlow("for (int q = 0; q < n * $L; q++)", positions);
                b.beginControlFlow("for (int j = 0; j < $L; j++)", channels);
                b.addStatement("int from = q * $L + j", channels);
                b.addStatement("int to = q * $L + $L + j", total, offset);
                if (forward) {
                    b.addStatement("$L[to] = $L[from]", c.rOut(), c.rIn(part));
                } else {
                    b.addStatement("$L[from] += $L[to]", c.dIn(part), c.dOut());
                    b.addStatement("$L[from] += $L[to]", c.rdIn(part), c.rdOut());
                }
                b.endControlFlow();
                b.endControlFlow();
            }
            offset += channels;
        }
        return b.build();
    }
}
