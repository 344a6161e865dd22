package dev.lamina.processor.ops.convtranspose;

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

/** The ConvTranspose layer kind. */
public final class ConvTransposeOp implements OpKind<Op.ConvTranspose> {
    public static final ConvTransposeOp KIND = new ConvTransposeOp();

    private ConvTransposeOp() {
    }

    // ---- reading and checks

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
    public boolean flattensImages() {
        return false;
    }

    @Override
    public boolean isView() {
        return false;
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

    @Override
    public boolean passesGradientInPlace() {
        return false;
    }

    @Override
    public boolean skipsNetworkInputGradient() {
        return true;
    }

    @Override
    public boolean absorbsDropout(Op.ConvTranspose op) {
        return false;
    }

    @Override
    public boolean absorbsMaxPool(Op.ConvTranspose op) {
        return false;
    }

    @Override
    public boolean isFusableMaxPool(Op.ConvTranspose op) {
        return false;
    }

    @Override
    public OptionalDouble foldableDropout(Op.ConvTranspose op) {
        return OptionalDouble.empty();
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
}
