package dev.lamina.processor.ops.embedding;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * An Embedding layer's R-rules, {@code y_i = E[id_i]} for each token id of the batch: linear in the table, so
 * {@code R{y_i} = V[id_i]} (the direction's rows for the ids), and {@code (H v)_E[id_i] += R{g_y_i}}, summed over the
 * positions that hold that id. Token ids are data, not a function of the parameters: no input gradient and no R
 * for the input.
 */
final class EmbeddingSecondOrder implements SecondOrderJava<Op.Embedding> {
    static final EmbeddingSecondOrder RULES = new EmbeddingSecondOrder();

    private EmbeddingSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Embedding e, Node node, SecondOrderContext c) {
        return rows(e, node, c, CodeBlock.of("$L[i * $L + j] = v[table + j]", c.rOut(), e.dim()));
    }

    @Override
    public CodeBlock rBackward(Op.Embedding e, Node node, SecondOrderContext c) {
        return rows(e, node, c, CodeBlock.of("out[table + j] += $L[i * $L + j]", c.rdOut(), e.dim()));
    }

    /** {@code body} for each column {@code j} of each position {@code i}, {@code table} at its id's row. */
    private static CodeBlock rows(Op.Embedding e, Node node, SecondOrderContext c, CodeBlock body) {
        if (!c.readsNetworkInput()) {
            // the annotation's check keeps an embedding first; its ids would otherwise be values with an R
            throw new IllegalStateException(node.name() + ": an embedding reads the network's token ids");
        }
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.beginControlFlow("for (int i = 0; i < n * $L; i++)", node.in().size());
        // the forward pass this product follows has checked every id against the vocabulary
        b.addStatement("int table = $L + (int) a.get(in + i) * $L", c.constant("WEIGHT"), e.dim());
        b.beginControlFlow("for (int j = 0; j < $L; j++)", e.dim());
        b.addStatement("$L", body);
        b.endControlFlow();
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }
}
