package dev.lamina.processor.ops.input;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Input layer. */
final class InputCuda implements CudaLowering<Op.Input> {
    static final InputCuda LOWERING = new InputCuda();

    private InputCuda() {
    }
}
