package dev.lamina.processor.ops.dense;

import dev.lamina.dsl.Dense;
import dev.lamina.processor.check.Misfit;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.check.SizesFitArrays;
import dev.lamina.processor.check.Value;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.emit.summary.NetworkSummary;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.plan.Arena;
import dev.lamina.processor.plan.Initialisation;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.read.LayerAnnotation;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.ArrayList;
import java.util.List;

/** The Dense layer kind. */
public final class DenseOp implements OpKind<Op.Dense> {
    public static final DenseOp KIND = new DenseOp();

    private DenseOp() {
    }

    // ---- properties

    @Override
    public boolean isView() {
        return false;
    }

    @Override
    public boolean passesGradientInPlace() {
        return false;
    }

    @Override
    public boolean flattensImages() {
        return true;
    }

    @Override
    public boolean skipsNetworkInputGradient() {
        return true;
    }

    @Override
    public boolean absorbsDropout(Op.Dense op) {
        return true;
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
    public Op.Act outputActivation(Op.Dense op) {
        return op.activation();
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Dense op, ShapeInputs inputs) {
        if (inputs.in().image()) {
            return null;
        }
        // on a sequence, the same layer at every step
        Shape in = inputs.in();
        return in.sequence() ? Shape.sequence(in.steps(), op.units()) : Shape.vector(op.units());
    }

    @Override
    public List<TensorSpec> tensors(Op.Dense op, Node node, Graph graph) {
        // on a sequence the same weights apply at every step: one step's features feed each GEMM row
        int in = node.in().sequence() ? node.in().features() : node.in().size();
        List<TensorSpec> tensors = new ArrayList<>();
        tensors.add(Initialisation.weight(new int[] {op.units(), in}, op.init(), op.initStd(),
                op.activation().function(), in, op.units()));
        if (op.bias()) {
            tensors.add(Initialisation.bias(op.units(), op.init(), in));
        }
        return tensors;
    }

    @Override
    public void claimRegions(Op.Dense op, Node node, Arena arena) {
        // nothing besides its output
    }

    @Override
    public long flops(Op.Dense op, Node node) {
        Shape in = node.in();
        long rows = in.sequence() ? in.steps() : 1;
        long features = in.sequence() ? in.features() : in.size();
        return rows * (2L * features * op.units() + (op.bias() ? op.units() : 0)
                + NetworkSummary.activationFlops(op.activation(), op.units()));
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Dense> java() {
        return DenseJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Dense> cuda() {
        return DenseCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.Dense> secondOrder() {
        return DenseSecondOrder.RULES;
    }
}
