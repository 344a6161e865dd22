package dev.lamina.processor.ops.conv1d;

import static dev.lamina.processor.emit.java.RuntimeTypes.CONV1D_GEOMETRY;
import static dev.lamina.processor.emit.java.RuntimeTypes.CONVOLUTION_1D;
import static dev.lamina.processor.emit.java.RuntimeTypes.REDUCTIONS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.Epilogues;
import dev.lamina.processor.emit.java.Epilogues.Affine;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import javax.lang.model.element.Modifier;

/** The Java lowering of a Conv1d layer: the runtime's 1-d convolution over the steps, then the epilogue. */
final class Conv1dJava implements JavaLowering<Op.Conv1d> {
    static final Conv1dJava LOWERING = new Conv1dJava();

    private Conv1dJava() {
    }

    @Override
    public String describe(Op.Conv1d op, Node node) {
        return LayerCode.describe(node, op.kind(), op.activation());
    }

    @Override
    public void declare(Op.Conv1d c, Node node, ClassParts parts) {
        parts.constant(FieldSpec.builder(CONV1D_GEOMETRY, Names.constant(node, "GEOMETRY"), Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Sizes of $L: steps, features, kernel, stride, padding, dilation, output steps, "
                        + "filters.\n", node.name())
                .initializer("new $T($L, $L, $L, $L, $L, $L, $L, $L)", CONV1D_GEOMETRY,
                        node.in().steps(), node.in().features(), c.kernel(), c.stride(), c.padding(),
                        c.dilation(), node.out().steps(), c.filters())
                .build());
    }

    @Override
    public CodeBlock statistics(Op.Conv1d op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Conv1d conv, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        b.addStatement("$T.forward($L, $L, in, $L, $L, $L, $L, out, $L)", CONVOLUTION_1D, c.geometry(), c.arena(),
                c.rows(), c.params(), c.constant("WEIGHT"), c.arena(), c.worker());
        Epilogues.epilogue(b, c, c.rows(node.out().steps()), conv.filters(),
                conv.bias() ? Affine.BIAS : Affine.NONE, conv.activation());
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.Conv1d conv, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        String weight = c.constant("WEIGHT");
        c.declareIn(b);
        Epilogues.activationBackward(b, c, conv.activation(), c.rows(node.out().size()));
        if (conv.bias()) {
            b.addStatement("$T.columnSums($L, delta, $L, $L, $L, $L)", REDUCTIONS, c.a(), c.rows(node.out().steps()),
                    conv.filters(), c.g(), c.constant("BIAS"));
        }
        b.addStatement("$T.backward($L, $L, in, $L, $L, delta, $L, $L, $L, $L, $L, $L)", CONVOLUTION_1D,
                c.geometry(), c.arena(), c.rows(), c.arena(), c.params(), weight, c.grads(), weight,
                c.needsInputGradient() ? c.arena() + ", deltaIn" : "null, 0", c.worker());
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }
}
