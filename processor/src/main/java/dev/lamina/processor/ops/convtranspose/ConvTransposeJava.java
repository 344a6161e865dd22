package dev.lamina.processor.ops.convtranspose;

import static dev.lamina.processor.emit.java.RuntimeTypes.CONVOLUTION;
import static dev.lamina.processor.emit.java.RuntimeTypes.CONV_GEOMETRY;
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

/**
 * The Java lowering of a ConvTranspose layer: the adjoint of a convolution, so its forward pass is that
 * convolution's input gradient and its input gradient that convolution's forward pass.
 */
final class ConvTransposeJava implements JavaLowering<Op.ConvTranspose> {
    static final ConvTransposeJava LOWERING = new ConvTransposeJava();

    private ConvTransposeJava() {
    }

    @Override
    public String describe(Op.ConvTranspose op, Node node) {
        return LayerCode.describe(node, op.kind(), op.activation());
    }

    @Override
    public void declare(Op.ConvTranspose t, Node node, ClassParts parts) {
        // the convolution this one is the adjoint of: from the output's size to the input's
        parts.constant(FieldSpec.builder(CONV_GEOMETRY, Names.constant(node, "GEOMETRY"), Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Sizes of the convolution $L transposes: its input is $L's output, and its "
                        + "output $L's input.\n", node.name(), node.name(), node.name())
                .initializer("new $T($L, $L, $L, $L, $L, $L, 1, $L, $L, $L)", CONV_GEOMETRY,
                        node.out().height(), node.out().width(), t.filters(), t.kernel(), t.stride(),
                        t.padding(), node.in().height(), node.in().width(), node.in().channels())
                .build());
    }

    @Override
    public CodeBlock statistics(Op.ConvTranspose op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.ConvTranspose t, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        // the adjoint convolution's gradient with respect to its input
        b.addStatement("$T.dataGradient($L, $L, $L, in, $L, $L, $L, out, $L)", CONVOLUTION, c.geometry(), c.rows(),
                c.arena(), c.params(), c.constant("WEIGHT"), c.arena(), c.worker());
        Epilogues.epilogue(b, c, c.rows(node.out().spatial()), t.filters(), t.bias() ? Affine.BIAS : Affine.NONE,
                t.activation());
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.ConvTranspose t, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        String weight = c.constant("WEIGHT");
        c.declareIn(b);
        Epilogues.activationBackward(b, c, t.activation(), c.rows(node.out().size()));
        if (t.bias()) {
            b.addStatement("$T.columnSums($L, delta, $L, $L, $L, $L)", REDUCTIONS, c.a(), c.rows(node.out().spatial()),
                    t.filters(), c.g(), c.constant("BIAS"));
        }
        // dW as the adjoint convolution's, with the roles of its input and gradient swapped; dx = conv(delta)
        b.addStatement("$T.backward($L, $L, delta, $L, $L, in, $L, $L, $L, $L, null, 0, $L)", CONVOLUTION,
                c.geometry(), c.arena(), c.rows(), c.arena(), c.params(), weight, c.grads(), weight, c.worker());
        if (c.needsInputGradient()) {
            b.addStatement("$T.forward($L, $L, delta, $L, $L, $L, $L, deltaIn, $L)", CONVOLUTION, c.geometry(),
                    c.arena(), c.rows(), c.params(), weight, c.arena(), c.worker());
        }
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }
}
