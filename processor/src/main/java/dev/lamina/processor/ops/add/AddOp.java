package dev.lamina.processor.ops.add;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;

/** The Add layer kind. */
public final class AddOp implements OpKind<Op.Add> {
    public static final AddOp KIND = new AddOp();

    private AddOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.Add> java() {
        return AddJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Add> cuda() {
        return AddCuda.LOWERING;
    }
}
