package dev.lamina.processor.ops.add;

import dev.lamina.processor.check.Size;
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
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.read.LayerAnnotation;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.List;

/** The Add layer kind. */
public final class AddOp implements OpKind<Op.Add> {
    public static final AddOp KIND = new AddOp();

    private AddOp() {
    }

    // ---- properties

    @Override
    public boolean isView() {
        return false;
    }

    @Override
    public boolean passesGradientInPlace() {
        return true;
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Add>> annotations() {
        return List.of(); // made by shape inference at the end of each residual block
    }

    @Override
    public List<Size> sizes(Op.Add op, boolean inBlock) {
        return List.of();
    }

    @Override
    public String misfit(Op.Add op, Node node, Graph graph, String label) {
        Shape shortcut = graph.node(node.others().get(0)).out();
        return "residual block '" + node.name().substring(0, node.name().lastIndexOf('.')) + "' cannot add its "
                + "shortcut " + shortcut + " to its output " + node.in() + ": the shapes differ and projection = "
                + "false forbids the 1x1 convolution + batch norm that would match them";
    }

    @Override
    public long[] weightDims(Op.Add op, Shape in, int tokens) {
        return null;
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Add op, ShapeInputs inputs) {
        // element-wise: every input has the main input's shape (else the shortcut needed a projection)
        for (Shape s : inputs.others()) {
            if (!inputs.in().equals(s)) {
                return null;
            }
        }
        return inputs.in();
    }

    @Override
    public List<TensorSpec> tensors(Op.Add op, Node node, Graph graph) {
        return List.of();
    }

    @Override
    public void claimRegions(Op.Add op, Node node, Arena arena) {
        // nothing besides its output
    }

    @Override
    public long flops(Op.Add op, Node node) {
        long values = node.out().size();
        return values * (1 + node.others().size()) + NetworkSummary.activationFlops(op.activation(), values);
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Add> java() {
        return AddJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Add> cuda() {
        return AddCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.Add> secondOrder() {
        return AddSecondOrder.RULES;
    }
}
