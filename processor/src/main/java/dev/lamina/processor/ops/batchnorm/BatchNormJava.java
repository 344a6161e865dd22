package dev.lamina.processor.ops.batchnorm;

import static dev.lamina.processor.emit.java.RuntimeTypes.NORMALIZATION;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.lamina.dsl.Activation;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.Epilogues;
import dev.lamina.processor.emit.java.Epilogues.Affine;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The Java lowering of a BatchNorm layer: its statistics folded into a per-channel scale and shift (a part of its
 * own), then the epilogue applies them with the activation; or, when fusion folded it into the residual add that
 * reads it, the add applies them.
 */
final class BatchNormJava implements JavaLowering<Op.BatchNorm> {
    static final BatchNormJava LOWERING = new BatchNormJava();

    private BatchNormJava() {
    }

    @Override
    public String describe(Op.BatchNorm op, Node node) {
        return LayerCode.describe(node, op.kind(), op.activation());
    }

    @Override
    public void declare(Op.BatchNorm op, Node node, ClassParts parts) {
        // the batch's statistics, kept for the backward pass, and the transform the epilogue applies
        for (String part : List.of("Mean", "InvStd", "Scale", "Shift")) {
            parts.field(FieldSpec.builder(float[].class, Names.normField(node, part), Modifier.PRIVATE,
                            Modifier.FINAL)
                    .initializer("new float[$L]", node.in().channels()).build());
        }
        if (spatial(node) == 1) {
            parts.needsTwoRows(node.name() + " (BatchNorm) on " + node.in());
        }
    }

    /**
     * The statistics for the forward pass: the batch's in training, the running ones in inference, folded into
     * the scale and shift that {@link #forward} applies.
     *
     * <p>Why a part of its own: the choice of mode is the only branch that differs between training and
     * evaluation. Kept out of the forward part's loop, switching to evaluation after an epoch deoptimises this
     * small method alone, not the compiled loop that applies the transform (which HotSpot otherwise recompiled
     * only seconds into the next epoch).
     */
    @Override
    public CodeBlock statistics(Op.BatchNorm bn, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        int ch = node.in().channels();
        b.beginControlFlow("if ($L)", c.training());
        c.declareIn(b);
        b.addStatement("$T.training($L, in, $L, $L, $L, $Lf, $Lf, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)",
                NORMALIZATION, c.a(), rows(c), total(c), ch, (float) bn.epsilon(), (float) bn.momentum(), c.p(),
                c.constant("WEIGHT"), c.constant("BIAS"), Names.normField(node, "Mean"),
                Names.normField(node, "InvStd"), Names.normField(node, "Scale"), Names.normField(node, "Shift"),
                c.stats(), c.constant("RUNNING_MEAN"), c.constant("RUNNING_VAR"), c.worker());
        b.nextControlFlow("else");
        b.addStatement("$T.inference($L, $L, $L, $L, $Lf, $L, $L, $L, $L, $L, $L, $L, $L)", NORMALIZATION, c.p(),
                c.constant("WEIGHT"), c.constant("BIAS"), ch, (float) bn.epsilon(), Names.normField(node, "Mean"),
                Names.normField(node, "InvStd"), Names.normField(node, "Scale"), Names.normField(node, "Shift"),
                c.stats(), c.constant("RUNNING_MEAN"), c.constant("RUNNING_VAR"), c.worker());
        b.endControlFlow();
        return b.build();
    }

    @Override
    public CodeBlock forward(Op.BatchNorm bn, Node node, LayerContext c) {
        if (node.isAppliedByReader()) {
            return CodeBlock.of("// $L: $L applies its transform as it reads $L's output\n", describe(bn, node),
                    c.graph().node(node.appliedBy()).name(), c.graph().node(node.input()).name());
        }
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        Epilogues.epilogue(b, c, rows(c), node.in().channels(), Affine.NORM, bn.activation());
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.BatchNorm bn, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        String weight = c.constant("WEIGHT");
        c.declareIn(b);
        if (bn.activation().function() == Activation.RELU && !node.hasFusedDropout()) {
            // ReLU's derivative is taken inside the kernel, from the input and the forward's transform
            b.addStatement("$T.backwardThroughRelu($L, delta, $L, in, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, "
                    + "$L, $L, deltaIn, $L)", NORMALIZATION, c.a(), c.a(), rows(c), total(c), node.in().channels(),
                    c.p(), weight, Names.normField(node, "Mean"), Names.normField(node, "InvStd"),
                    Names.normField(node, "Scale"), Names.normField(node, "Shift"), c.training(), c.g(), weight,
                    c.constant("BIAS"), c.a(), c.worker());
        } else {
            Epilogues.activationBackward(b, c, bn.activation(), c.rows(node.out().size()));
            b.addStatement("$T.backward($L, delta, $L, in, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, deltaIn, "
                    + "$L)", NORMALIZATION, c.a(), c.a(), rows(c), total(c), node.in().channels(), c.p(), weight,
                    Names.normField(node, "Mean"), Names.normField(node, "InvStd"), c.training(), c.g(), weight,
                    c.constant("BIAS"), c.a(), c.worker());
        }
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }

    /** Positions per row: one per channel value ({@code h * w} for an image, 1 for a vector). */
    private static int spatial(Node node) {
        return node.in().image() ? node.in().spatial() : 1;
    }

    /** The worker's positions: {@code rows}, or {@code rows * spatial} for an image. */
    private static String rows(LayerContext c) {
        int spatial = spatial(c.node());
        return spatial == 1 ? c.rows() : c.rows(spatial);
    }

    /** The batch's positions: {@code n}, or {@code n * spatial} for an image. */
    private static String total(LayerContext c) {
        int spatial = spatial(c.node());
        return spatial == 1 ? c.n() : c.n() + " * " + spatial;
    }
}
