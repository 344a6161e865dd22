package dev.lamina.processor.ops.batchnorm;

import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.emit.cuda.CudaActivation;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A batch norm on the device: in training the batch's moments per channel (in doubles), then the statistics
 * folded into a scale and a shift per channel; in inference the running ones; then the layer's own kernel applies
 * {@code act(scale x + shift)}. The per-channel values live in the work area. A norm that fusion left to the add
 * reading it ({@link Node#isAppliedByReader()}) has no kernel and no apply step: the add reads its input and its
 * scale and shift, and its output is never written.
 */
final class BatchNormCuda implements CudaLowering<Op.BatchNorm> {
    static final BatchNormCuda LOWERING = new BatchNormCuda();

    private BatchNormCuda() {
    }

    @Override
    public void kernels(Op.BatchNorm bn, LayerKernels out) {
        Node node = out.node();
        if (node.isAppliedByReader()) {
            out.append("// (its transform, scale x + shift, is applied by ")
                    .append(out.graph().node(node.appliedBy()).name()).append(" as it reads ")
                    .append(out.graph().node(node.input()).name()).append("'s output)\n");
            return;
        }
        int channels = node.in().channels();
        out.append("// y = act(scale x + shift), the statistics folded into scale and shift per channel\n");
        out.append("extern \"C\" __global__ void ").append(out.id()).append("_apply(const float* x, float* y, ")
                .append("const float* scale, const float* shift, int rows) {\n");
        out.loop(node.out().size());
        out.append("        int ch = (int) (i % ").append(channels).append(");\n");
        out.append("        float u = scale[ch] * x[i] + shift[ch];\n");
        out.append("        y[i] = ").append(CudaActivation.apply(bn.activation(), "u")).append(";\n");
        out.append("    }\n}\n");
        out.activationBackward(node.out(), bn.activation());
    }

    @Override
    public void reserve(Op.BatchNorm bn, Node node, DeviceRegions regions) {
        int c = node.in().channels();
        for (String name : new String[] {"mean", "invStd", "scale", "shift"}) {
            regions.work(node, name, c);
        }
        regions.work(node, "sums", 2 * c);
        regions.doubles(node, "moments", 2 * c);
    }

    @Override
    public void forward(Op.BatchNorm bn, DeviceLayer layer) {
        Node node = layer.node();
        if (node.hasFusedDropout()) {
            layer.unsupported("a dropout fused into it");
            return;
        }
        int c = node.in().channels();
        String rows = rows(node);
        layer.step("train", "lamina_bn_moments", "b:" + c).arg("x", layer.in()).i("rows", rows).i("channels", c)
                .arg("around", layer.buffer("mean")).arg("sums", layer.doubles("moments"));
        layer.step("train", "lamina_bn_statistics", "e:" + c).arg("sums", layer.doubles("moments")).i("rows", rows)
                .i("channels", c).f("epsilon", bn.epsilon()).f("momentum", bn.momentum())
                .arg("gamma", layer.param("gamma")).arg("beta", layer.param("beta")).arg("mean", layer.work("mean"))
                .arg("invStd", layer.work("invStd")).arg("scale", layer.work("scale"))
                .arg("shift", layer.work("shift")).arg("runningMean", layer.buffer("mean"))
                .arg("runningVar", layer.buffer("var"));
        layer.step("eval", "lamina_bn_inference", "e:" + c).i("channels", c).f("epsilon", bn.epsilon())
                .arg("gamma", layer.param("gamma")).arg("beta", layer.param("beta"))
                .arg("runningMean", layer.buffer("mean")).arg("runningVar", layer.buffer("var"))
                .arg("mean", layer.work("mean")).arg("invStd", layer.work("invStd"))
                .arg("scale", layer.work("scale")).arg("shift", layer.work("shift"));
        if (node.isAppliedByReader()) {
            return; // the add that reads it applies scale and shift, from the norm's input (fuse/NormIntoAdd)
        }
        layer.step(layer.id() + "_apply", "e:" + lin(node.out().size(), 0)).arg("x", layer.in())
                .arg("y", layer.out()).arg("scale", layer.work("scale")).arg("shift", layer.work("shift"))
                .i("rows", lin(1, 0));
    }

    @Override
    public void backward(Op.BatchNorm bn, DeviceLayer layer) {
        Node node = layer.node();
        int c = node.in().channels();
        String rows = rows(node);
        String delta = layer.delta();
        layer.activationBackward(delta, layer.out(), bn.activation());
        layer.step("lamina_bn_gradient_sums", "b:" + c).arg("dy", delta).arg("x", layer.in()).i("rows", rows)
                .i("channels", c).arg("mean", layer.work("mean")).arg("invStd", layer.work("invStd"))
                .arg("sums", layer.work("sums")).arg("dGamma", layer.gradient("gamma"))
                .arg("dBeta", layer.gradient("beta"));
        if (layer.needsInputGradient()) {
            // through the batch's statistics in training; in inference the layer is an affine map
            String grid = "e:" + lin(node.in().size(), 0);
            layer.step("train", "lamina_bn_backward", grid).arg("dy", delta).arg("x", layer.in()).i("rows", rows)
                    .i("channels", c).arg("mean", layer.work("mean")).arg("invStd", layer.work("invStd"))
                    .arg("gamma", layer.param("gamma")).arg("sums", layer.work("sums")).arg("dx", layer.deltaIn());
            layer.step("eval", "lamina_bn_backward_affine", grid).arg("dy", delta).i("rows", rows).i("channels", c)
                    .arg("invStd", layer.work("invStd")).arg("gamma", layer.param("gamma"))
                    .arg("dx", layer.deltaIn());
        }
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }

    /** Rows of values per sample, one per channel each: the image's positions, or one. */
    private static String rows(Node node) {
        return lin(node.in().image() ? node.in().spatial() : 1, 0);
    }
}
