package dev.lamina.processor.ops.conv1d;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Conv1d layer. */
final class Conv1dCuda implements CudaLowering<Op.Conv1d> {
    static final Conv1dCuda LOWERING = new Conv1dCuda();

    private Conv1dCuda() {
    }
}
