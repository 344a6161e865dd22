package dev.lamina.processor.ops.convtranspose;

import dev.lamina.dsl.ConvTranspose;
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

/** The ConvTranspose layer kind. */
public final class ConvTransposeOp implements OpKind<Op.ConvTranspose> {
    public static final ConvTransposeOp KIND = new ConvTransposeOp();

    private ConvTransposeOp() {
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
    public List<LayerAnnotation<?, Op.ConvTranspose>> annotations() {
        return List.of(LayerAnnotation.of(ConvTranspose.class, ConvTransposeOp::read).withFrom(ConvTranspose::from));
    }

    /** A {@code @ConvTranspose} as its op, the activation's parameter resolved. */
    static Op.ConvTranspose read(ConvTranspose c) {
        return new Op.ConvTranspose(c.filters(), c.kernel(), c.stride(), c.padding(), c.outputPadding(), c.bias(),
                Op.Act.of(c.activation(), c.alpha()), c.init(), c.initStd());
    }

    @Override
    public List<Size> sizes(Op.ConvTranspose op, boolean inBlock) {
        return List.of(Size.width("filters", op.filters()), Size.window("kernel", op.kernel()),
                Size.window("stride", op.stride()), Size.padding(op.padding()));
    }

    @Override
    public List<String> sizeErrors(Op.ConvTranspose op, String label) {
        if (op.outputPadding() < 0 || op.outputPadding() >= Math.max(op.stride(), 1)) {
            return List.of("outputPadding of " + label + " must be between 0 and stride - 1 ("
                    + Math.max(op.stride() - 1, 0) + "), found " + op.outputPadding());
        }
        return List.of();
    }

    @Override
    public List<Value> values(Op.ConvTranspose op) {
        return List.of(new Value.Activation(op.activation()), new Value.InitStd(op.init(), op.initStd()));
    }

    @Override
    public String misfit(Op.ConvTranspose op, Node node, Graph graph, String label) {
        return Misfit.ofImageLayer(node, label);
    }

    @Override
    public long[] weightDims(Op.ConvTranspose op, Shape in, int tokens) {
        return new long[] {in.channels(), op.kernel(), op.kernel(), op.filters()};
    }

    @Override
    public long[] wideOutput(Op.ConvTranspose op, Shape in) {
        if (!in.image()) {
            return null;
        }
        long h = (long) (in.height() - 1) * op.stride() - 2L * op.padding() + op.kernel() + op.outputPadding();
        long w = (long) (in.width() - 1) * op.stride() - 2L * op.padding() + op.kernel() + op.outputPadding();
        return new long[] {h, w};
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.ConvTranspose op, ShapeInputs inputs) {
        Shape in = inputs.in();
        if (!in.image()) {
            return null;
        }
        long oh = (long) (in.height() - 1) * op.stride() - 2L * op.padding() + op.kernel() + op.outputPadding();
        long ow = (long) (in.width() - 1) * op.stride() - 2L * op.padding() + op.kernel() + op.outputPadding();
        return oh < 1 || ow < 1 || !ShapeInputs.fits(oh) || !ShapeInputs.fits(ow) ? null
                : Shape.image(op.filters(), (int) oh, (int) ow);
    }

    @Override
    public List<TensorSpec> tensors(Op.ConvTranspose op, Node node, Graph graph) {
        int cin = node.in().channels();
        int k = op.kernel();
        List<TensorSpec> tensors = new ArrayList<>();
        tensors.add(Initialisation.weight(new int[] {cin, k, k, op.filters()}, op.init(), op.initStd(),
                op.activation().function(), k * k * cin, k * k * op.filters()));
        if (op.bias()) {
            tensors.add(Initialisation.bias(op.filters(), op.init(), k * k * cin));
        }
        return tensors;
    }

    @Override
    public void claimRegions(Op.ConvTranspose op, Node node, Arena arena) {
        // nothing besides its output
    }

    @Override
    public long flops(Op.ConvTranspose op, Node node) {
        Shape in = node.in();
        return 2L * in.height() * in.width() * in.channels() * op.kernel() * op.kernel() * op.filters()
                + NetworkSummary.activationFlops(op.activation(), node.out().size());
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.ConvTranspose> java() {
        return ConvTransposeJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.ConvTranspose> cuda() {
        return ConvTransposeCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.ConvTranspose> secondOrder() {
        return ConvTransposeSecondOrder.RULES;
    }
}
