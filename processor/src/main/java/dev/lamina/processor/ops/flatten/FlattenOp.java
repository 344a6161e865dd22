package dev.lamina.processor.ops.flatten;

import dev.lamina.dsl.Flatten;
import dev.lamina.processor.check.Misfit;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.check.Value;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.read.LayerAnnotation;
import java.util.List;

/** The Flatten layer kind. */
public final class FlattenOp implements OpKind<Op.Flatten> {
    public static final FlattenOp KIND = new FlattenOp();

    private FlattenOp() {
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Flatten>> annotations() {
        return List.of(LayerAnnotation.of(Flatten.class, FlattenOp::read));
    }

    /** A {@code @Flatten} as its op (one the user declared, not one shape inference inserted). */
    static Op.Flatten read(Flatten f) {
        return new Op.Flatten(false);
    }

    @Override
    public List<Size> sizes(Op.Flatten op, boolean inBlock) {
        return List.of();
    }

    @Override
    public List<String> sizeErrors(Op.Flatten op, String label) {
        return List.of();
    }

    @Override
    public List<Value> values(Op.Flatten op) {
        return List.of();
    }

    @Override
    public String misfit(Op.Flatten op, Node node, Graph graph, String label) {
        return Misfit.ofImageLayer(node, label);
    }

    @Override
    public long[] weightDims(Op.Flatten op, Shape in, int tokens) {
        return null;
    }

    @Override
    public long checkWorkspace(Op.Flatten op, Node node, String label, Diagnostics d) {
        return 0;
    }

    @Override
    public long[] wideOutput(Op.Flatten op, Shape in) {
        return null;
    }

    @Override
    public Op.Act outputActivation(Op.Flatten op) {
        return null;
    }

    @Override
    public boolean isView() {
        return true;
    }

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Flatten> java() {
        return FlattenJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Flatten> cuda() {
        return FlattenCuda.LOWERING;
    }
}
