package dev.lamina.processor.ops.add;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaActivation;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.emit.cuda.ProgramStep;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import java.util.ArrayList;
import java.util.List;

/**
 * An elementwise sum (a residual block's shortcut join) on the device: the layer's own kernel adds its inputs and
 * applies the activation; backward, every input gets the same gradient, each in the slot the plan gave it.
 *
 * <p>An operand whose batch norm fusion left to this add ({@link Node#appliedBy()}) is read from the norm's input
 * and transformed on the way with the scale and shift the norm's statistics steps wrote, as the Java add does and
 * in its order: the transformed operands first, the first of them {@code scale x + shift}, each further one added
 * in parentheses, then the others.
 */
final class AddCuda implements CudaLowering<Op.Add> {
    static final AddCuda LOWERING = new AddCuda();

    private AddCuda() {
    }

    @Override
    public void kernels(Op.Add add, LayerKernels out) {
        Node node = out.node();
        List<Node> operands = operands(out.graph(), node);
        for (int k = 0; k < operands.size(); k++) {
            if (applies(node, operands.get(k))) {
                out.append("// x" + k + " is " + operands.get(k).name() + "'s input: this add applies that batch "
                        + "norm's scale and shift as it reads it\n");
            }
        }
        out.append("extern \"C\" __global__ void ").append(out.id()).append("_forward(");
        for (int k = 0; k < operands.size(); k++) {
            out.append("const float* x").append(k).append(", ");
            if (applies(node, operands.get(k))) {
                out.append("const float* scale" + k + ", const float* shift" + k + ", ");
            }
        }
        out.append("float* y, int rows) {\n");
        out.loop(node.out().size());
        if (operands.stream().anyMatch(operand -> applies(node, operand))) {
            out.append("        int ch = (int) (i % ").append(node.out().channels()).append(");\n");
        }
        out.append("        float u = ").append(sum(node, operands)).append(";\n");
        out.append("        y[i] = ").append(CudaActivation.apply(add.activation(), "u")).append(";\n");
        out.append("    }\n}\n");
        out.activationBackward(node.out(), add.activation());
    }

    /** In the Java add's order: {@code scale0[ch] * x0[i] + shift0[ch] + x1[i]}, or {@code x0[i] + x1[i]}. */
    private static String sum(Node node, List<Node> operands) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < operands.size(); k++) {
            if (applies(node, operands.get(k))) {
                order.add(k);
            }
        }
        for (int k = 0; k < operands.size(); k++) {
            if (!applies(node, operands.get(k))) {
                order.add(k);
            }
        }
        StringBuilder sum = new StringBuilder();
        for (int k : order) {
            boolean first = sum.length() == 0;
            if (!first) {
                sum.append(" + ");
            }
            if (!applies(node, operands.get(k))) {
                sum.append("x").append(k).append("[i]");
                continue;
            }
            String transformed = "scale" + k + "[ch] * x" + k + "[i] + shift" + k + "[ch]";
            sum.append(first ? transformed : "(" + transformed + ")");
        }
        return sum.toString();
    }

    @Override
    public void reserve(Op.Add add, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(Op.Add add, DeviceLayer layer) {
        Node node = layer.node();
        ProgramStep step = layer.step(layer.id() + "_forward", "e:" + lin(node.out().size(), 0));
        List<Node> operands = operands(layer.graph(), node);
        for (int k = 0; k < operands.size(); k++) {
            Node operand = operands.get(k);
            if (applies(node, operand)) {
                step.arg("x" + k, layer.output(operand.input())).arg("scale" + k, layer.work(operand, "scale"))
                        .arg("shift" + k, layer.work(operand, "shift"));
            } else {
                step.arg("x" + k, layer.output(operand.id()));
            }
        }
        step.arg("y", layer.out()).i("rows", lin(1, 0));
    }

    @Override
    public void backward(Op.Add add, DeviceLayer layer) {
        Node node = layer.node();
        String delta = layer.delta();
        layer.activationBackward(delta, layer.out(), add.activation());
        int mine = layer.scheduleStep().gradientSlot();
        String count = lin(node.out().size(), 0);
        for (Contribution c : layer.contributions()) {
            if (c.none()) {
                continue;
            }
            if (c.slot() != mine) {
                layer.copy("always", layer.gradientSlot(c.slot()), delta, count);
            }
            if (c.accumulateInto() >= 0) {
                layer.accumulate(delta, count, layer.gradientSlot(c.accumulateInto()));
            }
        }
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.PER_INPUT;
    }

    /** The add's operands, in its order. */
    private static List<Node> operands(Graph graph, Node add) {
        return add.inputs().stream().map(graph::node).toList();
    }

    /** Whether {@code operand} is a batch norm this add applies: it is then read from the norm's input. */
    private static boolean applies(Node add, Node operand) {
        return operand.appliedBy() == add.id();
    }
}
