package dev.lamina.processor.ops.upsample;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.emit.cuda.ProgramStep;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * An upsampling on the device, through the library's kernels: each value repeated over its block, or, paired
 * with a max pool, each value back where the pool found it and zeros elsewhere.
 */
final class UpsampleCuda implements CudaLowering<Op.Upsample> {
    static final UpsampleCuda LOWERING = new UpsampleCuda();

    private UpsampleCuda() {
    }

    @Override
    public void kernels(Op.Upsample u, LayerKernels out) {
        out.append(u.pool() >= 0
                ? "// (generic: lamina_unpool with the paired pool's winners, lamina_unpool_backward)\n"
                : "// (generic: lamina_upsample, lamina_upsample_backward)\n");
    }

    @Override
    public void reserve(Op.Upsample u, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(Op.Upsample u, DeviceLayer layer) {
        Node node = layer.node();
        if (u.pool() >= 0) {
            // each value back where the paired pool found it, zeros elsewhere
            Node pool = layer.graph().node(u.pool());
            layer.zero(layer.out(), lin(node.out().size(), 0));
            unpool(layer.step("lamina_unpool", "e:" + lin(pool.out().size(), 0)).arg("in", layer.in()), layer,
                    pool).arg("out", layer.out());
            return;
        }
        layer.step("lamina_upsample", "e:" + lin(node.out().size(), 0)).arg("in", layer.in()).i("images", "n")
                .i("h", node.in().height()).i("w", node.in().width()).i("c", node.in().channels())
                .i("scale", u.scale()).arg("out", layer.out());
    }

    @Override
    public void backward(Op.Upsample u, DeviceLayer layer) {
        if (!layer.needsInputGradient()) {
            return;
        }
        Node node = layer.node();
        if (u.pool() >= 0) {
            Node pool = layer.graph().node(u.pool());
            unpool(layer.step("lamina_unpool_backward", "e:" + lin(pool.out().size(), 0)).arg("dOut", layer.delta()),
                    layer, pool).arg("dIn", layer.deltaIn());
            return;
        }
        layer.step("lamina_upsample_backward", "e:" + lin(node.in().size(), 0)).arg("dOut", layer.delta())
                .i("images", "n").i("h", node.in().height()).i("w", node.in().width()).i("c", node.in().channels())
                .i("scale", u.scale()).arg("dIn", layer.deltaIn());
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }

    /** An unpooling's arguments after its values: the paired pool's winners and geometry. */
    private static ProgramStep unpool(ProgramStep step, DeviceLayer layer, Node pool) {
        return step.arg("argmax", layer.winners(pool)).l("count", lin(pool.out().size(), 0))
                .i("oh", pool.out().height()).i("ow", pool.out().width()).i("c", pool.out().channels())
                .i("reach", reach(pool));
    }

    /**
     * How many window steps apart two of a max pool's windows can be and still overlap, so share a winner:
     * {@code (k - 1) / stride} (0 for windows that never overlap).
     */
    private static int reach(Node pool) {
        Op.Pool p = (Op.Pool) pool.op();
        return (p.kernel() - 1) / p.stride();
    }
}
