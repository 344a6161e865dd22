package dev.lamina.processor.ops.layernorm;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.graph.Op;

/** The Cuda lowering of a LayerNorm layer. */
final class LayerNormCuda implements CudaLowering<Op.LayerNorm> {
    static final LayerNormCuda LOWERING = new LayerNormCuda();

    private LayerNormCuda() {
    }
}
