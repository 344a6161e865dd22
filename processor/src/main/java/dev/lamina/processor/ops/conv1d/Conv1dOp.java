package dev.lamina.processor.ops.conv1d;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.summary.NetworkSummary;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.plan.Arena;
import dev.lamina.processor.plan.Initialisation;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** The Conv1d layer kind. */
public final class Conv1dOp implements OpKind<Op.Conv1d> {
    public static final Conv1dOp KIND = new Conv1dOp();

    private Conv1dOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Conv1d op, ShapeInputs inputs) {
        Shape in = inputs.in();
        if (!in.sequence()) {
            return null;
        }
        int steps = ShapeInputs.convolved(in.steps(), op.effectiveKernel(), op.stride(), op.padding());
        return steps < 1 ? null : Shape.sequence(steps, op.filters());
    }

    @Override
    public boolean flattensImages() {
        return false;
    }

    @Override
    public boolean isView() {
        return false;
    }

    @Override
    public List<TensorSpec> tensors(Op.Conv1d op, Node node, Graph graph) {
        int features = node.in().features();
        int k = op.kernel();
        List<TensorSpec> tensors = new ArrayList<>();
        tensors.add(Initialisation.weight(new int[] {op.filters(), k, features}, op.init(), op.initStd(),
                op.activation().function(), k * features, k * op.filters()));
        if (op.bias()) {
            tensors.add(Initialisation.bias(op.filters(), op.init(), k * features));
        }
        return tensors;
    }

    @Override
    public void claimRegions(Op.Conv1d op, Node node, Arena arena) {
        // nothing besides its output
    }

    @Override
    public long flops(Op.Conv1d op, Node node) {
        long values = node.out().size();
        return 2L * node.out().steps() * op.kernel() * node.in().features() * op.filters()
                + NetworkSummary.activationFlops(op.activation(), values);
    }

    @Override
    public boolean passesGradientInPlace() {
        return false;
    }

    @Override
    public boolean skipsNetworkInputGradient() {
        return true;
    }

    @Override
    public boolean absorbsDropout(Op.Conv1d op) {
        return false;
    }

    @Override
    public boolean absorbsMaxPool(Op.Conv1d op) {
        return false;
    }

    @Override
    public boolean isFusableMaxPool(Op.Conv1d op) {
        return false;
    }

    @Override
    public OptionalDouble foldableDropout(Op.Conv1d op) {
        return OptionalDouble.empty();
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Conv1d> java() {
        return Conv1dJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Conv1d> cuda() {
        return Conv1dCuda.LOWERING;
    }
}
