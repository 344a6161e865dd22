package dev.lamina.processor.ops.concat;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import java.util.List;

/**
 * A concatenation along channels on the device: each input placed among the output's channels, and in the
 * backward pass each input's channels of the gradient taken out into that input's own gradient.
 */
final class ConcatCuda implements CudaLowering<Op.Concat> {
    static final ConcatCuda LOWERING = new ConcatCuda();

    private ConcatCuda() {
    }

    @Override
    public void kernels(Op.Concat c, LayerKernels out) {
        out.append("// (generic: lamina_place, lamina_take)\n");
    }

    @Override
    public void reserve(Op.Concat c, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(Op.Concat c, DeviceLayer layer) {
        Node node = layer.node();
        int positions = node.out().image() ? node.out().spatial() : 1;
        int offset = 0;
        for (int part : node.inputs()) {
            Shape shape = layer.graph().node(part).out();
            layer.channels("lamina_place", layer.output(part), positions, shape.channels(), node.out().channels(),
                    offset, layer.out());
            offset += shape.channels();
        }
    }

    @Override
    public void backward(Op.Concat c, DeviceLayer layer) {
        Node node = layer.node();
        List<Contribution> contributions = layer.contributions();
        int positions = node.out().image() ? node.out().spatial() : 1;
        int offset = 0;
        for (int k = 0; k < node.inputs().size(); k++) {
            Shape shape = layer.graph().node(node.inputs().get(k)).out();
            Contribution contribution = contributions.get(k);
            if (!contribution.none()) {
                String part = layer.gradientSlot(contribution.slot());
                layer.channels("lamina_take", layer.delta(), positions, shape.channels(), node.out().channels(),
                        offset, part);
                if (contribution.accumulateInto() >= 0) {
                    layer.accumulate(part, lin(shape.size(), 0), layer.gradientSlot(contribution.accumulateInto()));
                }
            }
            offset += shape.channels();
        }
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.PER_INPUT;
    }
}
