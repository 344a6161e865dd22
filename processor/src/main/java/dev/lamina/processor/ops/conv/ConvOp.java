package dev.lamina.processor.ops.conv;

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

/** The Conv layer kind. */
public final class ConvOp implements OpKind<Op.Conv> {
    public static final ConvOp KIND = new ConvOp();

    private ConvOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Conv op, ShapeInputs inputs) {
        Shape in = inputs.in();
        if (!in.image() || in.channels() % op.groups() != 0) {
            return null;
        }
        int oh = ShapeInputs.convolved(in.height(), op.effectiveKernel(), op.stride(), op.padding());
        int ow = ShapeInputs.convolved(in.width(), op.effectiveKernel(), op.stride(), op.padding());
        return oh < 1 || ow < 1 ? null : Shape.image(op.filters(), oh, ow);
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
    public List<TensorSpec> tensors(Op.Conv op, Node node, Graph graph) {
        int cin = node.in().channels() / op.groups();
        int k = op.kernel();
        List<TensorSpec> tensors = new ArrayList<>();
        tensors.add(Initialisation.weight(new int[] {op.filters(), k, k, cin}, op.init(), op.initStd(),
                op.activation().function(), k * k * cin, k * k * op.filters()));
        if (op.bias()) {
            tensors.add(Initialisation.bias(op.filters(), op.init(), k * k * cin));
        }
        return tensors;
    }

    @Override
    public void claimRegions(Op.Conv op, Node node, Arena arena) {
        if (op.groups() > 1) {
            // one group's input channels, output and input gradient at a time, contiguous
            int groupIn = node.in().spatial() * (node.in().channels() / op.groups());
            arena.grouped(node, 2 * groupIn + node.out().spatial() * (op.filters() / op.groups()));
        }
    }

    @Override
    public long flops(Op.Conv op, Node node) {
        Shape in = node.in();
        long values = node.out().size();
        Shape conv = node.ownOut();
        long positions = (long) conv.height() * conv.width();
        long perPosition = 2L * op.kernel() * op.kernel() * (in.channels() / op.groups()) * op.filters();
        long pool = node.hasFusedPool() ? (long) conv.size() : 0;
        return positions * perPosition + pool + (op.bias() ? values : 0)
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
    public boolean absorbsDropout(Op.Conv op) {
        return true;
    }

    @Override
    public boolean absorbsMaxPool(Op.Conv op) {
        // the pool runs before the activation: only one that keeps the order of values keeps the winners
        return op.groups() == 1 && op.activation().isNonDecreasing();
    }

    @Override
    public boolean isFusableMaxPool(Op.Conv op) {
        return false;
    }

    @Override
    public OptionalDouble foldableDropout(Op.Conv op) {
        return OptionalDouble.empty();
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Conv> java() {
        return ConvJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Conv> cuda() {
        return ConvCuda.LOWERING;
    }
}
