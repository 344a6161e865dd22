package dev.lamina.processor.ops.upsample;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a Upsample layer. */
final class UpsampleCuda implements CudaLowering<Op.Upsample> {
    static final UpsampleCuda LOWERING = new UpsampleCuda();

    private UpsampleCuda() {
    }
}
