package dev.lamina.processor.ops.recurrent;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.DeviceRegions;
import dev.lamina.processor.emit.cuda.LayerKernels;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import java.util.Locale;

/**
 * A recurrent layer on the device (LSTM with or without peepholes and coupled gates, GRU, Elman RNN; stateful or
 * not): the library's cell templates instantiated as the layer's step kernels, and the steps of
 * {@link RecurrentSteps}.
 */
final class RecurrentCuda implements CudaLowering<Op.Recurrent> {
    static final RecurrentCuda LOWERING = new RecurrentCuda();
    /** The gradient at every step's hidden state. */
    static final String STATE_GRADIENTS = "state gradients";
    /** An LSTM's cell gradient carried a step back, or the part of a GRU's state gradient that bypasses W_hh. */
    static final String CELL_GRADIENT = "cell gradient";
    /** The state carried to the next batch. */
    static final String CARRIED = "carried";
    /** A stateful LSTM's initial cell in rows of its own, as the step kernel reads it. */
    static final String INITIAL_CELL = "initial cell";

    private RecurrentCuda() {
    }

    /**
     * The layer's step kernels, the generic cell templates instantiated with its units, steps and (for an LSTM)
     * variant; the projections around them are GEMMs.
     */
    @Override
    public void kernels(Op.Recurrent r, LayerKernels out) {
        int h = r.units();
        int steps = out.node().in().steps();
        String id = out.id();
        String cell = r.cell().name().toLowerCase(Locale.ROOT);
        out.append("// one step of all rows; the projections are GEMMs (lamina_gemm_*) before and after\n");
        switch (r.cell()) {
            case LSTM -> {
                String variant = h + ", " + steps + ", " + r.peephole() + ", " + r.coupled();
                out.append("extern \"C\" __global__ void ").append(id).append("_step(float* gates, float* cells, ")
                        .append("float* hidden, const float* c0, const float* peep, int rows, int t) {\n");
                out.append("    lamina_lstm_forward<").append(variant)
                        .append(">(gates, cells, hidden, c0, peep, rows, t);\n}\n");
                out.append("extern \"C\" __global__ void ").append(id).append("_step_backward(float* gates, ")
                        .append("const float* cells, const float* dh, float* dc, const float* c0, const float* peep, ")
                        .append("float* dPeep, int rows, int t) {\n");
                out.append("    lamina_lstm_backward<").append(variant)
                        .append(">(gates, cells, dh, dc, c0, peep, dPeep, rows, t);\n}\n");
            }
            case GRU -> {
                out.append("extern \"C\" __global__ void ").append(id).append("_step(float* gates, ")
                        .append("float* projections, float* hidden, const float* h0, int rows, int t) {\n");
                out.append("    lamina_gru_forward<").append(h).append(", ").append(steps)
                        .append(">(gates, projections, hidden, h0, rows, t);\n}\n");
                out.append("extern \"C\" __global__ void ").append(id).append("_step_backward(float* gates, ")
                        .append("float* projections, const float* hidden, const float* dh, float* dhPrevious, ")
                        .append("const float* h0, int rows, int t) {\n");
                out.append("    lamina_gru_backward<").append(h).append(", ").append(steps)
                        .append(">(gates, projections, hidden, dh, dhPrevious, h0, rows, t);\n}\n");
            }
            case RNN -> {
                out.append("extern \"C\" __global__ void ").append(id)
                        .append("_step(float* gates, float* hidden, int rows, int t) {\n");
                out.append("    lamina_rnn_forward<").append(h).append(", ").append(steps)
                        .append(">(gates, hidden, rows, t);\n}\n");
                out.append("extern \"C\" __global__ void ").append(id)
                        .append("_step_backward(float* gates, const float* dh, int rows, int t) {\n");
                out.append("    lamina_rnn_backward<").append(h).append(", ").append(steps)
                        .append(">(gates, dh, rows, t);\n}\n");
            }
        }
        out.append("// (").append(cell).append(": ").append(h).append(" units over ").append(steps)
                .append(" steps)\n");
    }

    @Override
    public void reserve(Op.Recurrent r, Node node, DeviceRegions regions) {
        regions.own(node, STATE_GRADIENTS, node.in().steps() * r.units());
        if (r.cell() != Op.Cell.RNN) {
            regions.own(node, CELL_GRADIENT, r.units());
        }
        if (r.stateful()) {
            // this batch's initial state is the plan's; the one carried to the next is the device's
            regions.carried(node, CARRIED, r.carriedSize());
            if (r.cell() == Op.Cell.LSTM) {
                regions.own(node, INITIAL_CELL, r.units());
            }
        }
    }

    @Override
    public void forward(Op.Recurrent r, DeviceLayer layer) {
        new RecurrentSteps(layer, r).forward();
    }

    @Override
    public void backward(Op.Recurrent r, DeviceLayer layer) {
        new RecurrentSteps(layer, r).backward();
    }

    @Override
    public InputGradient inputGradient() {
        return InputGradient.SEPARATE;
    }
}
