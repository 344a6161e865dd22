package dev.lamina.processor.emit.cuda;

import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A view (a flatten, a reshape) on the device: its output is its input's region (channels last, the values
 * already in order), so it has no kernel and no step, and its gradient stays where it is.
 *
 * @param <T> the view's IR record
 */
public final class ViewCuda<T extends Op> implements CudaLowering<T> {
    private final String note;

    /** @param note the line {@code Net.cu} shows for the layer, e.g. "(no kernel: a view of its input)" */
    public ViewCuda(String note) {
        this.note = note;
    }

    @Override
    public void kernels(T op, LayerKernels out) {
        out.append("// " + note + "\n");
    }

    @Override
    public void reserve(T op, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(T op, DeviceLayer layer) {
    }

    @Override
    public void backward(T op, DeviceLayer layer) {
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.IN_PLACE;
    }
}
