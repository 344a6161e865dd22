package dev.lamina.processor.ops.pool;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A pool on the device, through the library's kernels: a max pool records its winners for the backward pass, an
 * average pool without padding and a global average spread the gradient back evenly. A padded average pool is
 * not covered yet.
 */
final class PoolCuda implements CudaLowering<Op.Pool> {
    static final PoolCuda LOWERING = new PoolCuda();

    private PoolCuda() {
    }

    @Override
    public void kernels(Op.Pool p, LayerKernels out) {
        out.append("// (generic: ").append(switch (p.poolKind()) {
            case MAX -> "lamina_max_pool, lamina_max_pool_backward";
            case AVERAGE -> "lamina_average_pool, lamina_average_pool_backward";
            case GLOBAL_AVERAGE -> "lamina_global_average, lamina_global_average_backward";
        }).append(")\n");
    }

    @Override
    public void reserve(Op.Pool p, Node node, DeviceRegions regions) {
    }

    @Override
    public void forward(Op.Pool p, DeviceLayer layer) {
        Node node = layer.node();
        switch (p.poolKind()) {
            case MAX -> layer.maxPool(p, node.in(), node.out(), layer.in(), layer.out());
            case AVERAGE -> {
                if (p.padding() != 0) {
                    layer.unsupported(p.kind());
                    return;
                }
                layer.step("lamina_average_pool", "e:" + lin(node.out().size(), 0)).arg("in", layer.in())
                        .i("images", "n").i("h", node.in().height()).i("w", node.in().width())
                        .i("c", node.in().channels()).i("k", p.kernel()).i("stride", p.stride())
                        .i("oh", node.out().height()).i("ow", node.out().width()).arg("out", layer.out());
            }
            case GLOBAL_AVERAGE -> layer.step("lamina_global_average", "e:" + lin(node.in().channels(), 0))
                    .arg("in", layer.in()).i("images", lin(1, 0)).i("positions", node.in().spatial())
                    .i("c", node.in().channels()).arg("out", layer.out());
        }
    }

    @Override
    public void backward(Op.Pool p, DeviceLayer layer) {
        if (!layer.needsInputGradient()) {
            return;
        }
        Node node = layer.node();
        String grid = "e:" + lin(node.in().size(), 0);
        switch (p.poolKind()) {
            case MAX -> {
                layer.zero(layer.deltaIn(), lin(node.in().size(), 0));
                layer.maxPoolBackward(layer.delta(), layer.deltaIn());
            }
            case AVERAGE -> layer.step("lamina_average_pool_backward", grid).arg("dOut", layer.delta())
                    .i("images", "n").i("h", node.in().height()).i("w", node.in().width())
                    .i("c", node.in().channels()).i("k", p.kernel()).i("stride", p.stride())
                    .i("oh", node.out().height()).i("ow", node.out().width()).arg("dIn", layer.deltaIn());
            case GLOBAL_AVERAGE -> layer.step("lamina_global_average_backward", grid).arg("dOut", layer.delta())
                    .i("images", lin(1, 0)).i("positions", node.in().spatial()).i("c", node.in().channels())
                    .arg("dIn", layer.deltaIn());
        }
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }
}
