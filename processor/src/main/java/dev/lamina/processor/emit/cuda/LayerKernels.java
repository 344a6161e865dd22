package dev.lamina.processor.emit.cuda;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;

/**
 * One layer's part of {@code Net.cu}, as its kind's {@link CudaLowering#kernels} writes it, with the kernel texts
 * several kinds share: the epilogue after a GEMM, the activation's backward step, the grid-stride loop. Every
 * kernel takes the batch's row count {@code rows}.
 */
public final class LayerKernels {
    private final StringBuilder b;
    private final Graph graph;
    private final Node node;

    LayerKernels(StringBuilder b, Graph graph, Node node) {
        this.b = b;
        this.graph = graph;
        this.node = node;
    }

    public Node node() {
        return node;
    }

    /** The network, for a kernel that depends on the layers around it (an add that applies its operands' norms). */
    public Graph graph() {
        return graph;
    }

    /** The prefix of the layer's kernels: its name as a C identifier. */
    public String id() {
        return CudaEmitter.identifier(node);
    }

    /** Appends CUDA text as it is. */
    public LayerKernels append(String text) {
        b.append(text);
        return this;
    }

    /** Appends a number. */
    public LayerKernels append(int value) {
        b.append(value);
        return this;
    }

    /** The grid-stride loop over {@code rows x size} values, opened (the caller closes it). */
    public void loop(int size) {
        b.append("    const long count = (long) rows * ").append(size).append(";\n");
        b.append("    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; ")
                .append("i += (long) gridDim.x * blockDim.x) {\n");
    }

    /** out = act(out + bias) over a layer's output, times a fused dropout's mask in training. */
    public void epilogue(Shape shape, int columns, boolean bias, Op.Act act) {
        String id = id();
        // after a fused pool the dropout applies to the pooled values: the device program runs it after the pool
        boolean dropout = node.hasFusedDropout() && !node.hasFusedPool();
        if (!bias && act.isIdentity() && !dropout) {
            b.append("// (no bias, activation or dropout: the GEMM's output is the layer's)\n");
            return;
        }
        b.append("extern \"C\" __global__ void ").append(id).append("_epilogue(float* out, const float* bias, ")
                .append("int rows, float* mask, unsigned long long key, int training) {\n");
        loop(shape.size());
        b.append("        float u = out[i]").append(bias ? " + bias[i % " + columns + "]" : "").append(";\n");
        b.append("        float y = ").append(CudaActivation.apply(act, "u")).append(";\n");
        if (dropout) {
            float rate = (float) node.dropout();
            b.append("        if (training) {\n");
            b.append("            // the CPU's dropout stream: the same key and element give the same mask\n");
            b.append("            float keep = lamina_uniform(key, i) < ").append(CudaActivation.literal(rate))
                    .append(" ? 0.0f : ").append(CudaActivation.literal(1 / (1 - rate))).append(";\n");
            b.append("            mask[i] = keep;\n");
            b.append("            y *= keep;\n");
            b.append("        }\n");
        }
        b.append("        out[i] = y;\n");
        b.append("    }\n}\n");
        if (dropout && !node.hasFusedPool()) {
            dropoutBackward(shape, act);
        } else {
            activationBackward(shape, act);
        }
    }

    /**
     * Backward through a fused dropout and the activation before it, as on the CPU: the gradient through the
     * mask, then the activation's derivative from the output before the mask ({@code y / keep}; 0 where dropped).
     */
    private void dropoutBackward(Shape shape, Op.Act act) {
        b.append("extern \"C\" __global__ void ").append(id())
                .append("_dropout_backward(float* delta, const float* y, const float* mask, int rows) {\n");
        loop(shape.size());
        b.append("        float keep = mask[i];\n");
        b.append("        float u = keep == 0.0f ? 0.0f : y[i] / keep;\n");
        b.append("        float g = delta[i] * keep;\n");
        b.append("        delta[i] = ").append(act.isIdentity() ? "g" : CudaActivation.backward(act, "g", "u"))
                .append(";\n");
        b.append("    }\n}\n");
    }

    /** y = f(y) in place, for a layer whose generic kernel leaves its output before the activation. */
    public void activationInPlace(Shape shape, Op.Act act) {
        if (act.isIdentity()) {
            return;
        }
        b.append("extern \"C\" __global__ void ").append(id()).append("_activation(float* y, int rows) {\n");
        loop(shape.size());
        b.append("        float u = y[i];\n");
        b.append("        y[i] = ").append(CudaActivation.apply(act, "u")).append(";\n");
        b.append("    }\n}\n");
    }

    /** delta = delta f'(u), from the layer's output y; nothing to emit for the identity. */
    public void activationBackward(Shape shape, Op.Act act) {
        if (act.isIdentity()) {
            return;
        }
        b.append("extern \"C\" __global__ void ").append(id())
                .append("_activation_backward(float* delta, const float* y, int rows) {\n");
        loop(shape.size());
        b.append("        delta[i] = ").append(CudaActivation.backward(act, "delta[i]", "y[i]")).append(";\n");
        b.append("    }\n}\n");
    }
}
