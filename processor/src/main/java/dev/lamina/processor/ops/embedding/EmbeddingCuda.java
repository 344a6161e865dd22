package dev.lamina.processor.ops.embedding;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * An embedding on the device: each token id's row of the table, through the library's kernels. A flag in the work
 * area records a token id outside the vocabulary, which the host reads back and reports as the CPU path does.
 */
final class EmbeddingCuda implements CudaLowering<Op.Embedding> {
    static final EmbeddingCuda LOWERING = new EmbeddingCuda();
    private static final String BAD = "bad";

    private EmbeddingCuda() {
    }

    @Override
    public void kernels(Op.Embedding e, LayerKernels out) {
        out.append("// (generic: lamina_embed, lamina_embed_backward)\n");
    }

    @Override
    public void reserve(Op.Embedding e, Node node, DeviceRegions regions) {
        // where the lookup leaves a token id outside the vocabulary, for the host to report
        regions.work(node, BAD, 1);
    }

    @Override
    public void forward(Op.Embedding e, DeviceLayer layer) {
        Node node = layer.node();
        String bad = layer.work(BAD);
        int tokens = tokens(layer);
        layer.zero(bad, "1");
        layer.step("lamina_embed", "e:" + lin(node.out().size(), 0)).arg("ids", layer.in())
                .l("count", lin(node.in().steps(), 0)).i("dim", e.dim()).i("vocabulary", tokens)
                .arg("table", layer.param("weight")).arg("out", layer.out()).arg("bad", bad);
        layer.step("check", "-").arg("flag", bad).i("vocabulary", tokens);
    }

    @Override
    public void backward(Op.Embedding e, DeviceLayer layer) {
        Node node = layer.node();
        layer.step("lamina_embed_backward", "e:" + lin(node.out().size(), 0)).arg("ids", layer.in())
                .l("count", lin(node.in().steps(), 0)).i("dim", e.dim()).i("vocabulary", tokens(layer))
                .arg("dOut", layer.delta()).arg("dTable", layer.gradient("weight"));
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }

    /** The vocabulary: the network input's token count. */
    private static int tokens(DeviceLayer layer) {
        return ((Op.Input) layer.graph().input().op()).tokens();
    }
}
