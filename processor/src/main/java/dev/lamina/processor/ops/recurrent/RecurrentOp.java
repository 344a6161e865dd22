package dev.lamina.processor.ops.recurrent;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.plan.Arena;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** The Recurrent layer kind. */
public final class RecurrentOp implements OpKind<Op.Recurrent> {
    public static final RecurrentOp KIND = new RecurrentOp();

    private RecurrentOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Recurrent op, ShapeInputs inputs) {
        Shape in = inputs.in();
        if (!in.sequence()) {
            return null;
        }
        return op.sequences() ? Shape.sequence(in.steps(), op.units()) : Shape.vector(op.units());
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
    public List<TensorSpec> tensors(Op.Recurrent op, Node node, Graph graph) {
        int features = node.in().features();
        int gates = op.gates() * op.units();
        // PyTorch's U(-1/sqrt(H), 1/sqrt(H)) has this standard deviation; biases start at zero
        double std = 1 / Math.sqrt(3.0 * op.units());
        List<TensorSpec> tensors = new ArrayList<>();
        tensors.add(TensorSpec.gaussian(".weight_ih", "WEIGHT", new int[] {gates, features}, std, "weight"));
        tensors.add(TensorSpec.gaussian(".weight_hh", "WEIGHT", new int[] {gates, op.units()}, std,
                "recurrent weight"));
        tensors.add(TensorSpec.constant(".bias_ih", "BIAS", new int[] {gates}, "bias"));
        tensors.add(TensorSpec.constant(".bias_hh", "BIAS", new int[] {gates}, "recurrent bias"));
        if (op.peephole()) {
            tensors.add(TensorSpec.gaussian(".weight_peephole", "WEIGHT", new int[] {op.peepholes(), op.units()},
                    std, "peephole"));
        }
        return tensors;
    }

    @Override
    public void claimRegions(Op.Recurrent op, Node node, Arena arena) {
        int steps = node.in().steps();
        int gates = arena.claim(steps * op.gates() * op.units());
        int stateSize = MemoryPlan.RecurrentRegions.stateSize(op);
        int state = stateSize > 0 ? arena.claim(steps * stateSize) : -1;
        // a layer returning sequences keeps its hidden states in its output
        int hidden = op.sequences() ? arena.output(node) : arena.claim(steps * op.units());
        int initial = op.stateful() ? arena.claim(op.carriedSize()) : -1;
        arena.recurrent(node, new MemoryPlan.RecurrentRegions(gates, state, hidden, initial));
    }

    @Override
    public long flops(Op.Recurrent op, Node node) {
        Shape in = node.in();
        long h = op.units();
        long perStep = 2L * op.gates() * h * (in.features() + h) + 8L * op.gates() * h;
        return in.steps() * perStep;
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
    public boolean absorbsDropout(Op.Recurrent op) {
        return false;
    }

    @Override
    public boolean absorbsMaxPool(Op.Recurrent op) {
        return false;
    }

    @Override
    public boolean isFusableMaxPool(Op.Recurrent op) {
        return false;
    }

    @Override
    public OptionalDouble foldableDropout(Op.Recurrent op) {
        return OptionalDouble.empty();
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Recurrent> java() {
        return RecurrentJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Recurrent> cuda() {
        return RecurrentCuda.LOWERING;
    }
}
