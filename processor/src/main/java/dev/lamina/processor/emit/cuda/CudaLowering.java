package dev.lamina.processor.emit.cuda;

import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * The CUDA kernels and device-program steps of one op kind; each kind's package under {@code ops/} has one. The
 * emitters call it layer by layer: {@link CudaEmitter} for the layer's own kernels in {@code Net.cu},
 * {@link DeviceProgram} for its device-only memory and the steps of its forward and backward passes.
 *
 * @param <T> the IR record it lowers
 */
public interface CudaLowering<T extends Op> {
    /** How a layer's backward pass hands the gradient at its input on. */
    enum InputGradient {
        /** into a gradient slot of its own, which the program adds to another reader's when the plan says so */
        SEPARATE,
        /** in place, in the slot of its output's gradient (a view or an elementwise mask) */
        IN_PLACE,
        /** the layer writes each of its inputs' gradients itself, summing where the plan says so */
        PER_INPUT
    }

    /**
     * The layer's own kernels, with its shapes baked in, after the heading the emitter writes; or a comment naming
     * the library's kernels its steps launch.
     */
    void kernels(T op, LayerKernels out);

    /** Reserves the device-only memory the layer's steps need beyond the plan's (columns, work areas, ...). */
    void reserve(T op, Node node, DeviceRegions regions);

    /** The steps of the layer's forward pass; or {@link DeviceLayer#unsupported} when the device cannot run it. */
    void forward(T op, DeviceLayer layer);

    /** The steps of the layer's backward pass: the gradients of its parameters and of its input. */
    void backward(T op, DeviceLayer layer);

    /** How the backward pass hands on the gradient at the layer's input. */
    InputGradient inputGradient();
}
