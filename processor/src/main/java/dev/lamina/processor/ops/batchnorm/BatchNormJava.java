package dev.lamina.processor.ops.batchnorm;

import static dev.lamina.processor.emit.java.RuntimeTypes.BATCH_NORM_GEOMETRY;
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
        parts.constant(FieldSpec.builder(BATCH_NORM_GEOMETRY, Names.constant(node, "GEOMETRY"), Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Sizes of $L: channels, positions per sample, epsilon, momentum.\n", node.name())
                .initializer("new $T($L, $L, $Lf, $Lf)", BATCH_NORM_GEOMETRY, node.in().channels(), spatial(node),
                        (float) op.epsilon(), (float) op.momentum())
                .build());
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
        b.beginControlFlow("if ($L)", c.training());
        c.declareIn(b);
        b.addStatement("$T.training($L, $L, in, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", NORMALIZATION,
                c.geometry(), c.a(), c.rows(), c.n(), c.p(), c.constant("WEIGHT"), c.constant("BIAS"),
                Names.normField(node, "Mean"), Names.normField(node, "InvStd"), Names.normField(node, "Scale"), Names.normField(node, "Shift"),
                c.stats(), c.constant("RUNNING_MEAN"), c.constant("RUNNING_VAR"), c.worker());
        b.nextControlFlow("else");
        b.addStatement("$T.inference($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", NORMALIZATION, c.geometry(),
                c.p(), c.constant("WEIGHT"), c.constant("BIAS"), Names.normField(node, "Mean"),
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
            b.addStatement("$T.backwardThroughRelu($L, $L, delta, $L, in, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, "
                    + "$L, $L, deltaIn, $L)", NORMALIZATION, c.geometry(), c.a(), c.a(), c.rows(), c.n(), c.p(),
                    weight, Names.normField(node, "Mean"), Names.normField(node, "InvStd"),
                    Names.normField(node, "Scale"), Names.normField(node, "Shift"), c.training(), c.g(), weight,
                    c.constant("BIAS"), c.a(), c.worker());
        } else {
            Epilogues.activationBackward(b, c, bn.activation(), c.rows(node.out().size()));
            b.addStatement("$T.backward($L, $L, delta, $L, in, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, deltaIn, "
                    + "$L)", NORMALIZATION, c.geometry(), c.a(), c.a(), c.rows(), c.n(), c.p(), weight,
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
}
