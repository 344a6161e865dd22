package dev.lamina.processor.ops.dense;

import static dev.lamina.processor.emit.java.RuntimeTypes.BLAS;
import static dev.lamina.processor.emit.java.RuntimeTypes.REDUCTIONS;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.Epilogues;
import dev.lamina.processor.emit.java.Epilogues.Affine;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Dense layer: a GEMM, then the epilogue. */
final class DenseJava implements JavaLowering<Op.Dense> {
    static final DenseJava LOWERING = new DenseJava();

    private DenseJava() {
    }

    @Override
    public String describe(Op.Dense op, Node node) {
        return LayerCode.describe(node, op.kind(), op.activation());
    }

    @Override
    public void declare(Op.Dense op, Node node, ClassParts parts) {
    }

    @Override
    public CodeBlock statistics(Op.Dense op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Dense d, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        // on a sequence, every step of every row is a row of the GEMM
        String rows = gemmRows(node, c);
        b.addStatement("$T.forward($L, $L, $L, $L, in, $L, $L, $L, out)", BLAS, rows, d.units(),
                node.in().features(), c.arena(), c.params(), c.constant("WEIGHT"), c.arena());
        Epilogues.epilogue(b, c, rows, d.units(), d.bias() ? Affine.BIAS : Affine.NONE, d.activation());
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.Dense d, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        String weight = c.constant("WEIGHT");
        String rows = gemmRows(node, c);
        c.declareIn(b);
        Epilogues.activationBackward(b, c, d.activation(), c.rows(node.out().size()));
        b.addStatement("$T.weightGradient($L, $L, $L, $L, delta, $L, in, $L, $L)", BLAS, rows, d.units(),
                node.in().features(), c.arena(), c.arena(), c.grads(), weight);
        if (d.bias()) {
            b.addStatement("$T.columnSums($L, delta, $L, $L, $L, $L)", REDUCTIONS, c.a(), rows, d.units(), c.g(),
                    c.constant("BIAS"));
        }
        if (c.needsInputGradient()) {
            b.addStatement("$T.inputGradient($L, $L, $L, $L, delta, $L, $L, $L, deltaIn)", BLAS, rows, d.units(),
                    node.in().features(), c.arena(), c.params(), weight, c.arena());
        }
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }

    /** The GEMM rows of a dense layer's slice: {@code rows}, or {@code rows * steps} on a sequence. */
    private static String gemmRows(Node node, LayerContext c) {
        return node.in().sequence() ? c.rows(node.in().steps()) : c.rows();
    }
}
