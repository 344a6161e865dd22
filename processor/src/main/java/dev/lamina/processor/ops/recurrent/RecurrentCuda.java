package dev.lamina.processor.ops.recurrent;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Recurrent layer. */
final class RecurrentCuda implements CudaLowering<Op.Recurrent> {
    static final RecurrentCuda LOWERING = new RecurrentCuda();

    private RecurrentCuda() {
    }
}
