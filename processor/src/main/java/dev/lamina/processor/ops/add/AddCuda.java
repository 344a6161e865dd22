package dev.lamina.processor.ops.add;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Add layer. */
final class AddCuda implements CudaLowering<Op.Add> {
    static final AddCuda LOWERING = new AddCuda();

    private AddCuda() {
    }
}
