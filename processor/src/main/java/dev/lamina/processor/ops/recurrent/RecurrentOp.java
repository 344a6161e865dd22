package dev.lamina.processor.ops.recurrent;

import dev.lamina.dsl.GRU;
import dev.lamina.dsl.LSTM;
import dev.lamina.dsl.RNN;
import dev.lamina.processor.check.Misfit;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.check.SizesFitArrays;
import dev.lamina.processor.diag.Diagnostics;
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
import dev.lamina.processor.read.LayerAnnotation;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.ArrayList;
import java.util.List;

/** The Recurrent layer kind. */
public final class RecurrentOp implements OpKind<Op.Recurrent> {
    public static final RecurrentOp KIND = new RecurrentOp();

    private RecurrentOp() {
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
    public List<LayerAnnotation<?, Op.Recurrent>> annotations() {
        return List.of(LayerAnnotation.of(LSTM.class, RecurrentOp::readLstm),
                LayerAnnotation.of(GRU.class, RecurrentOp::readGru),
                LayerAnnotation.of(RNN.class, RecurrentOp::readRnn));
    }

    /** An {@code @LSTM} as its op. */
    static Op.Recurrent readLstm(LSTM l) {
        return new Op.Recurrent(Op.Cell.LSTM, l.units(), l.returnSequences(), l.stateful(), l.peephole(),
                l.coupled());
    }

    /** A {@code @GRU} as its op. */
    static Op.Recurrent readGru(GRU g) {
        return new Op.Recurrent(Op.Cell.GRU, g.units(), g.returnSequences(), g.stateful(), false, false);
    }

    /** An {@code @RNN} as its op. */
    static Op.Recurrent readRnn(RNN r) {
        return new Op.Recurrent(Op.Cell.RNN, r.units(), r.returnSequences(), r.stateful(), false, false);
    }

    @Override
    public List<Size> sizes(Op.Recurrent op, boolean inBlock) {
        return List.of(Size.width("units", op.units()));
    }

    @Override
    public String misfit(Op.Recurrent op, Node node, Graph graph, String label) {
        return label + " is recurrent and needs a sequence input [steps, features] (declare @Network(steps = ...) or"
                + " stack it on a recurrent layer with returnSequences = true), but its input is "
                + Misfit.describe(node.in());
    }

    @Override
    public long[] weightDims(Op.Recurrent op, Shape in, int tokens) {
        return new long[] {op.gates(), op.units(), (long) in.features() + op.units()};
    }

    @Override
    public long checkWorkspace(Op.Recurrent op, Node node, String label, Diagnostics d) {
        int rows = SizesFitArrays.MIN_BATCH;
        long[] gates = {node.in().steps(), op.gates(), op.units(), 2, rows};
        long count = SizesFitArrays.product(gates);
        if (count > SizesFitArrays.LIMIT) {
            d.error(node, label + " keeps its gates and their gradients for every step: " + node.in().steps()
                    + " steps x " + op.gates() + " gates x " + op.units() + " units x 2 x " + rows + " rows = "
                    + count + " floats, more than the " + SizesFitArrays.LIMIT + " a buffer holds");
        }
        return count / rows;
    }

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
