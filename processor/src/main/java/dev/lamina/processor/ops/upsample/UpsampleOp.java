package dev.lamina.processor.ops.upsample;

import dev.lamina.dsl.Upsample;
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

/** The Upsample layer kind. */
public final class UpsampleOp implements OpKind<Op.Upsample> {
    public static final UpsampleOp KIND = new UpsampleOp();

    private UpsampleOp() {
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

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Upsample>> annotations() {
        return List.of(LayerAnnotation.of(Upsample.class, UpsampleOp::read).withFrom(Upsample::from));
    }

    /** An {@code @Upsample} as its op; the reader pairs a max-unpooling with its pool afterwards. */
    static Op.Upsample read(Upsample u) {
        return new Op.Upsample(u.scale(), -1);
    }

    @Override
    public List<Size> sizes(Op.Upsample op, boolean inBlock) {
        return List.of(Size.window("scale", op.scale()));
    }

    @Override
    public String misfit(Op.Upsample op, Node node, Graph graph, String label) {
        if (op.pool() >= 0) {
            Node pool = graph.node(op.pool());
            return label + " unpools by '" + pool.name() + "', so its input must have that pool's output shape "
                    + pool.out() + ", but it is " + node.in();
        }
        return Misfit.ofImageLayer(node, label);
    }

    @Override
    public long[] weightDims(Op.Upsample op, Shape in, int tokens) {
        return null;
    }

    @Override
    public long[] wideOutput(Op.Upsample op, Shape in) {
        if (op.pool() >= 0 || !in.image()) {
            return null;
        }
        return new long[] {(long) in.height() * op.scale(), (long) in.width() * op.scale()};
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Upsample op, ShapeInputs inputs) {
        Shape in = inputs.in();
        if (op.pool() >= 0) {
            // max-unpooling undoes its pool: back to the pool's input shape, from its output shape
            Node pool = inputs.shaped().apply(op.pool());
            return in.equals(pool.out()) ? pool.in() : null;
        }
        long h = (long) in.height() * op.scale();
        long w = (long) in.width() * op.scale();
        return in.image() && ShapeInputs.fits(h) && ShapeInputs.fits(w) ? Shape.image(in.channels(), (int) h, (int) w)
                : null;
    }

    @Override
    public List<TensorSpec> tensors(Op.Upsample op, Node node, Graph graph) {
        return List.of();
    }

    @Override
    public void claimRegions(Op.Upsample op, Node node, Arena arena) {
        // nothing besides its output
    }

    @Override
    public long flops(Op.Upsample op, Node node) {
        return 0; // data movement only
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Upsample> java() {
        return UpsampleJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Upsample> cuda() {
        return UpsampleCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.Upsample> secondOrder() {
        return UpsampleSecondOrder.RULES;
    }
}
