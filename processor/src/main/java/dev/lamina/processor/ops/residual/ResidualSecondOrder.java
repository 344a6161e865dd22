package dev.lamina.processor.ops.residual;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.ops.add.AddOp;
import dev.lamina.processor.ops.batchnorm.BatchNormOp;
import dev.lamina.processor.ops.conv.ConvOp;
import dev.lamina.processor.ops.dropout.DropoutOp;
import dev.lamina.processor.ops.layernorm.LayerNormOp;
import dev.lamina.processor.ops.responsenorm.ResponseNormOp;
import java.util.List;

/**
 * The R-rules of a {@code @Residual} stage: the stage is expanded into plain layers before planning, and each of
 * those brings its kind's rules, so this kind has rules exactly when every kind a stage can expand into has them
 * (its convolutions and batch norms, its sum, and what a user-defined block may hold), and they are never called.
 */
final class ResidualSecondOrder implements SecondOrderJava<Op.Residual> {
    static final ResidualSecondOrder RULES = new ResidualSecondOrder();
    private static final String EXPANDED = "a residual stage is expanded into its layers before the R-passes";

    private ResidualSecondOrder() {
    }

    /** {@return whether every kind a stage can expand into has R-rules} */
    static boolean covered() {
        List<OpKind<?>> parts = List.of(ConvOp.KIND, BatchNormOp.KIND, AddOp.KIND, LayerNormOp.KIND,
                ResponseNormOp.KIND, DropoutOp.KIND);
        return parts.stream().allMatch(kind -> kind.secondOrder() != null);
    }

    @Override
    public CodeBlock rForward(Op.Residual op, Node node, SecondOrderContext c) {
        throw new IllegalStateException(EXPANDED);
    }

    @Override
    public CodeBlock rBackward(Op.Residual op, Node node, SecondOrderContext c) {
        throw new IllegalStateException(EXPANDED);
    }
}
