package dev.lamina.processor.ops.conv;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Conv layer. */
final class ConvCuda implements CudaLowering<Op.Conv> {
    static final ConvCuda LOWERING = new ConvCuda();

    private ConvCuda() {
    }
}
