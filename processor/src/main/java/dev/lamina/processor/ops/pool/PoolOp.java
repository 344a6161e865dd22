package dev.lamina.processor.ops.pool;

import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.plan.Arena;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.List;
import java.util.OptionalDouble;

/** The Pool layer kind. */
public final class PoolOp implements OpKind<Op.Pool> {
    public static final PoolOp KIND = new PoolOp();

    private PoolOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Pool op, ShapeInputs inputs) {
        Shape in = inputs.in();
        if (!in.image()) {
            return null;
        }
        if (op.poolKind() == PoolKind.GLOBAL_AVERAGE) {
            return Shape.image(in.channels(), 1, 1);
        }
        int oh = ShapeInputs.convolved(in.height(), op.kernel(), op.stride(), op.padding());
        int ow = ShapeInputs.convolved(in.width(), op.kernel(), op.stride(), op.padding());
        return oh < 1 || ow < 1 ? null : Shape.image(in.channels(), oh, ow);
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
    public List<TensorSpec> tensors(Op.Pool op, Node node, Graph graph) {
        return List.of();
    }

    @Override
    public void claimRegions(Op.Pool op, Node node, Arena arena) {
        if (op.recordsWinners()) {
            arena.argmax(node, node.out().size());
        }
    }

    @Override
    public long flops(Op.Pool op, Node node) {
        return op.poolKind() == PoolKind.GLOBAL_AVERAGE ? node.in().size()
                : (long) node.out().size() * op.kernel() * op.kernel();
    }

    @Override
    public boolean passesGradientInPlace() {
        return false;
    }

    @Override
    public boolean skipsNetworkInputGradient() {
        return false;
    }

    @Override
    public boolean absorbsDropout(Op.Pool op) {
        return false;
    }

    @Override
    public boolean absorbsMaxPool(Op.Pool op) {
        return false;
    }

    @Override
    public boolean isFusableMaxPool(Op.Pool op) {
        // an unpooling reads the winners this pool records, so it stays a layer of its own
        return op.poolKind() == PoolKind.MAX && !op.keepsWinners();
    }

    @Override
    public OptionalDouble foldableDropout(Op.Pool op) {
        return OptionalDouble.empty();
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Pool> java() {
        return PoolJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Pool> cuda() {
        return PoolCuda.LOWERING;
    }
}
