package dev.lamina.processor.ops.pool;

import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.check.Misfit;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.plan.Arena;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.read.LayerAnnotation;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.List;

/** The Pool layer kind. */
public final class PoolOp implements OpKind<Op.Pool> {
    public static final PoolOp KIND = new PoolOp();

    private PoolOp() {
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
    public boolean isFusableMaxPool(Op.Pool op) {
        // an unpooling reads the winners this pool records, so it stays a layer of its own
        return op.poolKind() == PoolKind.MAX && !op.keepsWinners();
    }

    @Override
    public boolean isUnpoolable(Op.Pool op) {
        return op.poolKind() == PoolKind.MAX;
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Pool>> annotations() {
        return List.of(LayerAnnotation.of(Pool.class, PoolOp::read).withFrom(Pool::from));
    }

    /** A {@code @Pool} as its op: a stride of 0 means the kernel's. */
    static Op.Pool read(Pool p) {
        return new Op.Pool(p.kind(), p.kernel(), p.stride() == 0 ? p.kernel() : p.stride(), p.padding(), false);
    }

    @Override
    public List<Size> sizes(Op.Pool op, boolean inBlock) {
        return List.of(Size.window("kernel", op.kernel()), Size.window("stride", op.stride()));
    }

    @Override
    public List<String> sizeErrors(Op.Pool op, String label) {
        if (op.padding() != 0 && op.poolKind() != PoolKind.MAX) {
            return List.of("padding of " + label + " (" + op.poolKind() + " pool) must be 0: only max pooling pads,"
                    + " found " + op.padding());
        }
        if (op.padding() < 0 || op.padding() > op.kernel() / 2) {
            return List.of("padding of " + label + " must be between 0 and half the kernel ("
                    + Math.max(op.kernel() / 2, 0) + "), found " + op.padding());
        }
        return List.of();
    }

    @Override
    public String misfit(Op.Pool op, Node node, Graph graph, String label) {
        if (!node.in().image()) {
            return Misfit.needsImage(node, label);
        }
        if (op.poolKind() != PoolKind.GLOBAL_AVERAGE) {
            return "kernel " + op.kernel() + "x" + op.kernel() + " of " + label + " is larger than its input "
                    + node.in().height() + "x" + node.in().width() + " (input " + node.in() + ")";
        }
        return Misfit.cannotApply(node, label);
    }

    @Override
    public long[] weightDims(Op.Pool op, Shape in, int tokens) {
        return null;
    }

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

    // ---- lowerings

    @Override
    public JavaLowering<Op.Pool> java() {
        return PoolJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Pool> cuda() {
        return PoolCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.Pool> secondOrder() {
        return PoolSecondOrder.RULES;
    }
}
