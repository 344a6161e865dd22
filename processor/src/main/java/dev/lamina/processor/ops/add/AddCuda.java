package dev.lamina.processor.ops.add;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaActivation;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.emit.cuda.ProgramStep;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.MemoryPlan.Contribution;

/**
 * An elementwise sum (a residual block's shortcut join) on the device: the layer's own kernel adds its inputs and
 * applies the activation; backward, every input gets the same gradient, each in the slot the plan gave it.
 */
final class AddCuda implements CudaLowering<Op.Add> {
    static final AddCuda LOWERING = new AddCuda();

    private AddCuda() {
    }

    @Override
    public void kernels(Op.Add add, LayerKernels out) {
        Node node = out.node();
        int parts = 1 + node.others().size();
        out.append("extern \"C\" __global__ void ").append(out.id()).append("_forward(");
        for (int k = 0; k < parts; k++) {
            out.append("const float* x").append(k).append(", ");
        }
        out.append("float* y, int rows) {\n");
        out.loop(node.out().size());
        out.append("        float u = x0[i]");
        for (int k = 1; k < parts; k++) {
            out.append(" + x").append(k).append("[i]");
        }
        out.append(";\n");
        out.append("        y[i] = ").append(CudaActivation.apply(add.activation(), "u")).append(";\n");
        out.append("    }\n}\n");
        out.activationBackward(node.out(), add.activation());
    }

    @Override
    public void reserve(Op.Add add, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(Op.Add add, DeviceLayer layer) {
        Node node = layer.node();
        ProgramStep step = layer.step(layer.id() + "_forward", "e:" + lin(node.out().size(), 0));
        int k = 0;
        for (int input : node.inputs()) {
            step.arg("x" + k++, layer.output(input));
        }
        step.arg("y", layer.out()).i("rows", lin(1, 0));
    }

    @Override
    public void backward(Op.Add add, DeviceLayer layer) {
        Node node = layer.node();
        String delta = layer.delta();
        layer.activationBackward(delta, layer.out(), add.activation());
        int mine = layer.plan().gradient().get(node.id());
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
}
