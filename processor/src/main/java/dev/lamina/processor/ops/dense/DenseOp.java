package dev.lamina.processor.ops.dense;

import dev.lamina.dsl.Dense;
import dev.lamina.processor.check.Misfit;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.check.SizesFitArrays;
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

/** The Dense layer kind. */
public final class DenseOp implements OpKind<Op.Dense> {
    public static final DenseOp KIND = new DenseOp();

    private DenseOp() {
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Dense>> annotations() {
        return List.of(LayerAnnotation.of(Dense.class, DenseOp::read).withFrom(Dense::from));
    }

    /** A {@code @Dense} as its op, the activation's parameter resolved. */
    static Op.Dense read(Dense d) {
        return new Op.Dense(d.units(), Op.Act.of(d.activation(), d.alpha()), d.bias(), d.init(), d.initStd());
    }

    @Override
    public List<Size> sizes(Op.Dense op, boolean inBlock) {
        return List.of(Size.width("units", op.units()));
    }

    @Override
    public List<String> sizeErrors(Op.Dense op, String label) {
        return List.of();
    }

    @Override
    public List<Value> values(Op.Dense op) {
        return List.of(new Value.Activation(op.activation()), new Value.InitStd(op.init(), op.initStd()));
    }

    @Override
    public String misfit(Op.Dense op, Node node, Graph graph, String label) {
        return Misfit.ofImageLayer(node, label);
    }

    @Override
    public long[] weightDims(Op.Dense op, Shape in, int tokens) {
        // a Dense after a sequence applies at every step
        return new long[] {op.units(), in.sequence() ? in.features() : SizesFitArrays.floats(in)};
    }

    @Override
    public long checkWorkspace(Op.Dense op, Node node, String label, Diagnostics d) {
        return 0;
    }

    @Override
    public long[] wideOutput(Op.Dense op, Shape in) {
        return null;
    }

    @Override
    public Op.Act outputActivation(Op.Dense op) {
        return op.activation();
    }

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Dense> java() {
        return DenseJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Dense> cuda() {
        return DenseCuda.LOWERING;
    }
}
