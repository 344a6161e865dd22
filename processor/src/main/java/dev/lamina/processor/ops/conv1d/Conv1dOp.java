package dev.lamina.processor.ops.conv1d;

import dev.lamina.dsl.Conv1d;
import dev.lamina.processor.check.Misfit;
import dev.lamina.processor.check.Size;
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

/** The Conv1d layer kind. */
public final class Conv1dOp implements OpKind<Op.Conv1d> {
    public static final Conv1dOp KIND = new Conv1dOp();

    private Conv1dOp() {
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
    public boolean skipsNetworkInputGradient() {
        return true;
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Conv1d>> annotations() {
        return List.of(LayerAnnotation.of(Conv1d.class, Conv1dOp::read).withFrom(Conv1d::from));
    }

    /** A {@code @Conv1d} as its op, the activation's parameter resolved. */
    static Op.Conv1d read(Conv1d c) {
        return new Op.Conv1d(c.filters(), c.kernel(), c.stride(), c.padding(), c.dilation(), c.bias(),
                Op.Act.of(c.activation(), c.alpha()), c.init(), c.initStd());
    }

    @Override
    public List<Size> sizes(Op.Conv1d op, boolean inBlock) {
        return List.of(Size.width("filters", op.filters()), Size.window("kernel", op.kernel()),
                Size.window("stride", op.stride()), Size.padding(op.padding()), Size.window("dilation", op.dilation()));
    }

    @Override
    public List<Value> values(Op.Conv1d op) {
        return List.of(new Value.Activation(op.activation()), new Value.InitStd(op.init(), op.initStd()));
    }

    @Override
    public String misfit(Op.Conv1d op, Node node, Graph graph, String label) {
        if (!node.in().sequence()) {
            return label + " convolves along steps and needs a sequence input [steps, features], but its input is "
                    + Misfit.describe(node.in());
        }
        return "kernel " + op.kernel() + (op.dilation() > 1 ? " (dilated to " + op.effectiveKernel() + ")" : "")
                + " of " + label + " is longer than its padded input of " + (node.in().steps() + 2 * op.padding())
                + " steps (input " + node.in() + ", padding " + op.padding() + ")";
    }

    @Override
    public long[] weightDims(Op.Conv1d op, Shape in, int tokens) {
        return new long[] {op.filters(), op.kernel(), in.features()};
    }

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

    // ---- lowerings

    @Override
    public JavaLowering<Op.Conv1d> java() {
        return Conv1dJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Conv1d> cuda() {
        return Conv1dCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.Conv1d> secondOrder() {
        return Conv1dSecondOrder.RULES;
    }
}
