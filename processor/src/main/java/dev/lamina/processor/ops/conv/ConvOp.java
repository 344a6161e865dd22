package dev.lamina.processor.ops.conv;

import dev.lamina.dsl.Conv;
import dev.lamina.processor.check.Misfit;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.check.SizesFitArrays;
import dev.lamina.processor.check.Value;
import dev.lamina.processor.diag.Diagnostics;
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

/** The Conv layer kind. */
public final class ConvOp implements OpKind<Op.Conv> {
    public static final ConvOp KIND = new ConvOp();

    private ConvOp() {
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

    @Override
    public boolean absorbsDropout(Op.Conv op) {
        return true;
    }

    @Override
    public boolean absorbsMaxPool(Op.Conv op) {
        // the pool runs before the activation: only one that keeps the order of values keeps the winners
        return op.groups() == 1 && op.activation().isNonDecreasing();
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Conv>> annotations() {
        return List.of(LayerAnnotation.of(Conv.class, ConvOp::read).withFrom(Conv::from));
    }

    /** A {@code @Conv} as its op, the activation's parameter resolved. */
    static Op.Conv read(Conv c) {
        return new Op.Conv(c.filters(), c.kernel(), c.stride(), c.padding(), c.dilation(), c.bias(),
                Op.Act.of(c.activation(), c.alpha()), c.init(), c.initStd(), c.groups());
    }

    @Override
    public List<Size> sizes(Op.Conv op, boolean inBlock) {
        // a block's layer may take the stage's filters and stride, which are checked on the stage
        int filters = inBlock && op.filters() == Op.Residual.STAGE ? 1 : op.filters();
        int stride = inBlock && op.stride() == Op.Residual.STAGE ? 1 : op.stride();
        return List.of(new Size("groups", op.groups(), Size.Least.ONE, Size.Most.NONE),
                Size.width("filters", filters), Size.window("kernel", op.kernel()), Size.window("stride", stride),
                Size.padding(op.padding()), Size.window("dilation", op.dilation()));
    }

    @Override
    public List<String> sizeErrors(Op.Conv op, String label) {
        if (op.groups() > 0 && op.filters() > 0 && op.filters() % op.groups() != 0) {
            return List.of("filters of " + label + " (" + op.filters() + ") must divide into its " + op.groups()
                    + " groups");
        }
        return List.of();
    }

    @Override
    public List<Value> values(Op.Conv op) {
        return List.of(new Value.Activation(op.activation()), new Value.InitStd(op.init(), op.initStd()));
    }

    @Override
    public String misfit(Op.Conv op, Node node, Graph graph, String label) {
        Shape in = node.in();
        if (!in.image()) {
            return Misfit.needsImage(node, label);
        }
        if (in.channels() % op.groups() != 0) {
            return label + " splits its input channels into " + op.groups() + " groups, but its input " + in
                    + " has " + in.channels() + " channels";
        }
        int h = in.height() + 2 * op.padding();
        int w = in.width() + 2 * op.padding();
        String kernel = op.dilation() > 1
                ? op.kernel() + "x" + op.kernel() + " (dilated to " + op.effectiveKernel() + "x"
                + op.effectiveKernel() + ")"
                : op.kernel() + "x" + op.kernel();
        return "kernel " + kernel + " of " + label + " is larger than its padded input " + h + "x" + w + " (input "
                + in + ", padding " + op.padding() + ")";
    }

    @Override
    public long[] weightDims(Op.Conv op, Shape in, int tokens) {
        return new long[] {op.filters(), op.kernel(), op.kernel(), in.channels() / Math.max(op.groups(), 1)};
    }

    @Override
    public long checkWorkspace(Op.Conv op, Node node, String label, Diagnostics d) {
        long[] columns = {node.out().height(), node.out().width(), op.kernel(), op.kernel(),
                node.in().channels() / Math.max(op.groups(), 1)};
        long count = SizesFitArrays.product(columns);
        if (count > SizesFitArrays.LIMIT) {
            d.error(node, label + " unfolds its input into " + SizesFitArrays.spelled(columns) + " = " + count
                    + " columns per sample (output height x width x kernel x kernel x channels), more than the "
                    + SizesFitArrays.LIMIT + " floats a buffer holds");
        }
        return 0;
    }

    @Override
    public Op.Act outputActivation(Op.Conv op) {
        return op.activation();
    }

    // ---- shape, parameters and memory

    @Override
    public Op.Conv withStageSizes(Op.Conv op, int filters, int stride) {
        return new Op.Conv(op.filters() == Op.Residual.STAGE ? filters : op.filters(), op.kernel(),
                op.stride() == Op.Residual.STAGE ? stride : op.stride(), op.padding(), op.dilation(), op.bias(),
                op.activation(), op.init(), op.initStd(), op.groups());
    }

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

    // ---- lowerings

    @Override
    public JavaLowering<Op.Conv> java() {
        return ConvJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Conv> cuda() {
        return ConvCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.Conv> secondOrder() {
        return ConvSecondOrder.RULES;
    }
}
