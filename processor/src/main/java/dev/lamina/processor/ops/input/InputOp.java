package dev.lamina.processor.ops.input;

import dev.lamina.processor.check.Size;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.plan.Arena;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.read.LayerAnnotation;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.List;

/** The Input layer kind. */
public final class InputOp implements OpKind<Op.Input> {
    public static final InputOp KIND = new InputOp();

    private InputOp() {
    }

    // ---- properties

    @Override
    public boolean isView() {
        return false;
    }

    @Override
    public boolean passesGradientInPlace() {
        return false;
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Input>> annotations() {
        return List.of(); // declared by @Network, whose input the reader checks
    }

    @Override
    public List<Size> sizes(Op.Input op, boolean inBlock) {
        return List.of(); // the input's sizes are @Network's: the reader and SizesInRange check them
    }

    @Override
    public String misfit(Op.Input op, Node node, Graph graph, String label) {
        throw new IllegalStateException("the input is not a layer: it has no input to fit");
    }

    @Override
    public long[] weightDims(Op.Input op, Shape in, int tokens) {
        return null;
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Input op, ShapeInputs inputs) {
        throw new IllegalStateException("the input's shape is read from @Network, not inferred");
    }

    @Override
    public List<TensorSpec> tensors(Op.Input op, Node node, Graph graph) {
        return List.of();
    }

    @Override
    public void claimRegions(Op.Input op, Node node, Arena arena) {
        // nothing besides its output
    }

    @Override
    public long flops(Op.Input op, Node node) {
        throw new IllegalStateException("the input is not a layer: the summary lists layers only");
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Input> java() {
        return InputJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Input> cuda() {
        return InputCuda.LOWERING;
    }
}
