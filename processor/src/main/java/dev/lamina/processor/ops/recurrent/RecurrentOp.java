package dev.lamina.processor.ops.recurrent;

import dev.lamina.dsl.GRU;
import dev.lamina.dsl.LSTM;
import dev.lamina.dsl.RNN;
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

/** The Recurrent layer kind. */
public final class RecurrentOp implements OpKind<Op.Recurrent> {
    public static final RecurrentOp KIND = new RecurrentOp();

    private RecurrentOp() {
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Recurrent>> annotations() {
        return List.of(LayerAnnotation.of(LSTM.class, RecurrentOp::readLstm),
                LayerAnnotation.of(GRU.class, RecurrentOp::readGru), LayerAnnotation.of(RNN.class, RecurrentOp::readRnn));
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
    public List<String> sizeErrors(Op.Recurrent op, String label) {
        return List.of();
    }

    @Override
    public List<Value> values(Op.Recurrent op) {
        return List.of();
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

    @Override
    public long[] wideOutput(Op.Recurrent op, Shape in) {
        return null;
    }

    @Override
    public Op.Act outputActivation(Op.Recurrent op) {
        return null;
    }

    // ---- shape, parameters and memory

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
