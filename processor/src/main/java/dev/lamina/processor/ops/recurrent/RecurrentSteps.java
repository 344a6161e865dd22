package dev.lamina.processor.ops.recurrent;

import static dev.lamina.processor.emit.cuda.DeviceProgram.arena;
import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;
import static dev.lamina.processor.ops.recurrent.RecurrentCuda.CARRIED;
import static dev.lamina.processor.ops.recurrent.RecurrentCuda.CELL_GRADIENT;
import static dev.lamina.processor.ops.recurrent.RecurrentCuda.INITIAL_CELL;
import static dev.lamina.processor.ops.recurrent.RecurrentCuda.STATE_GRADIENTS;

import dev.lamina.processor.emit.cuda.DeviceLayer;
import dev.lamina.processor.emit.cuda.ProgramStep;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.MemoryPlan;
import java.util.List;

/**
 * A recurrent layer's part of a device program: LSTM (peephole, coupled), GRU and Elman RNN, stateful or not,
 * forward and backpropagation through time, in the CPU's layout ({@code [rows][steps][...]}, one step of all rows a
 * matrix of stride {@code steps x width}) and the CPU's order of operations.
 */
final class RecurrentSteps {
    private final DeviceLayer layer;
    private final Op.Recurrent r;
    private final int steps;
    private final int features;
    private final int h;
    /** The gates' pre-activations per step: {@code gates x units}. */
    private final int width;
    private final MemoryPlan.RecurrentRegions regions;

    RecurrentSteps(DeviceLayer layer, Op.Recurrent r) {
        this.layer = layer;
        this.r = r;
        this.steps = layer.node().in().steps();
        this.features = layer.node().in().features();
        this.h = r.units();
        this.width = r.gates() * h;
        this.regions = layer.scheduleStep().recurrent();
    }

    /**
     * The CPU's fast LSTM (and Elman RNN, one tanh gate) on the device: one GEMM projects every step's input, the
     * two biases are added to all of them, then per step a GEMM adds the recurrent projection and the step kernel
     * runs the gates and the cell.
     */
    void forward() {
        layer.gemm("nt", lin(steps, 0), width, features, layer.in(), features, layer.param("weight"), features, 0,
                arena(regions.gates()), width);
        if (r.cell() == Op.Cell.GRU) {
            gruForward();
            return;
        }
        addBiasRows(arena(regions.gates()), "bias", layer.param("recurrent bias"));
        if (r.stateful()) {
            initialState(arena(regions.gates()));
        }
        String peep = r.peephole() ? layer.param("peephole") : "N:0";
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                layer.gemm("nt", "n", width, h, arena(regions.hidden(), (t - 1) * h), steps * h,
                        layer.param("recurrent weight"), h, 1, arena(regions.gates(), t * width), steps * width);
            }
            if (r.cell() == Op.Cell.LSTM) {
                for (String when : whens(t)) {
                    stepKernel(when, "_step").arg("gates", arena(regions.gates()))
                            .arg("cells", arena(regions.state())).arg("hidden", arena(regions.hidden()))
                            .arg("c0", initialCell(when)).arg("peep", peep).i("rows", "n").i("t", t);
                }
            } else {
                stepKernel("always", "_step").arg("gates", arena(regions.gates()))
                        .arg("hidden", arena(regions.hidden())).i("rows", "n").i("t", t);
            }
        }
        lastHidden();
        if (r.stateful()) {
            saveState();
        }
    }

    /**
     * Backpropagation through time, mirroring the CPU: the gradient at each step's hidden state is the output's
     * plus what the step after sends back through {@code W_hh}; the step kernel turns it into the gates'
     * pre-activation gradients (in the gates region) and the cell's gradient a step back; then the weight
     * gradients of all steps are GEMMs over the gates' gradients.
     */
    void backward() {
        if (r.cell() == Op.Cell.GRU) {
            gruBackward();
            return;
        }
        String dh = arena(layer.own(STATE_GRADIENTS));
        boolean lstm = r.cell() == Op.Cell.LSTM;
        String dc = lstm ? arena(layer.own(CELL_GRADIENT)) : null;
        if (lstm) {
            layer.zero(dc, lin(h, 0));
        }
        outputGradient();
        String peep = r.peephole() ? layer.param("peephole") : "N:0";
        String dPeep = r.peephole() ? layer.gradient("peephole") : "N:0";
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                layer.gemm("nn", "n", h, width, arena(regions.gates(), (t + 1) * width), steps * width,
                        layer.param("recurrent weight"), h, 1, arena(layer.own(STATE_GRADIENTS), t * h), steps * h);
            }
            if (lstm) {
                for (String when : whens(t)) {
                    stepKernel(when, "_step_backward").arg("gates", arena(regions.gates()))
                            .arg("cells", arena(regions.state())).arg("dh", dh).arg("dc", dc)
                            .arg("c0", initialCell(when)).arg("peep", peep).arg("dPeep", dPeep).i("rows", "n")
                            .i("t", t);
                }
            } else {
                stepKernel("always", "_step_backward").arg("gates", arena(regions.gates())).arg("dh", dh)
                        .i("rows", "n").i("t", t);
            }
        }
        weightGradients(arena(regions.gates()), arena(regions.gates()));
        // the two biases enter the same sum, so they get the same gradient
        for (String bias : List.of("bias", "recurrent bias")) {
            columnSums(arena(regions.gates()), bias);
        }
        inputGradient();
    }

    /**
     * A GRU after its input projection, in the CPU's form: the reset gate multiplies the recurrent projection, so
     * the projections of each step ({@code projections}, biased by {@code b_hh}) are kept apart from the input
     * ones ({@code gates}, biased by {@code b_ih}); each step adds {@code h_{t-1} W_hh^T} to its projections.
     */
    private void gruForward() {
        String projections = arena(regions.state());
        addBiasRows(arena(regions.gates()), "bias", "N:0");
        layer.zero(projections, lin(steps * width, 0));
        addBiasRows(projections, "recurrent bias", "N:0");
        if (r.stateful()) {
            initialState(projections);
        }
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                layer.gemm("nt", "n", width, h, arena(regions.hidden(), (t - 1) * h), steps * h,
                        layer.param("recurrent weight"), h, 1, arena(regions.state(), t * width), steps * width);
            }
            for (String when : whens(t)) {
                stepKernel(when, "_step").arg("gates", arena(regions.gates())).arg("projections", projections)
                        .arg("hidden", arena(regions.hidden())).arg("h0", initialHidden(when)).i("rows", "n")
                        .i("t", t);
            }
        }
        lastHidden();
        if (r.stateful()) {
            saveState();
        }
    }

    /**
     * Back through a GRU as the CPU goes: each step's state gradient is the output's, plus the step after's
     * projections' gradients through {@code W_hh}, plus what bypassed them ({@code z dh}, carried a step back);
     * the weight gradients come from the input projections' gradients ({@code W_ih}, {@code b_ih}) and the
     * recurrent ones' ({@code W_hh}, {@code b_hh}).
     */
    private void gruBackward() {
        int dhRegion = layer.own(STATE_GRADIENTS);
        String dh = arena(dhRegion);
        String carriedGradient = arena(layer.own(CELL_GRADIENT));
        String projections = arena(regions.state());
        outputGradient();
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                layer.gemm("nn", "n", h, width, arena(regions.state(), (t + 1) * width), steps * width,
                        layer.param("recurrent weight"), h, 1, arena(dhRegion, t * h), steps * h);
                rows("lamina_add_rows", "always", carriedGradient, h, arena(dhRegion, t * h), steps * h);
            }
            for (String when : whens(t)) {
                stepKernel(when, "_step_backward").arg("gates", arena(regions.gates()))
                        .arg("projections", projections).arg("hidden", arena(regions.hidden())).arg("dh", dh)
                        .arg("dhPrevious", carriedGradient).arg("h0", initialHidden(when)).i("rows", "n").i("t", t);
            }
        }
        weightGradients(arena(regions.gates()), projections);
        columnSums(arena(regions.gates()), "bias");
        columnSums(projections, "recurrent bias");
        inputGradient();
    }

    // ---------------------------------------------------------------- pieces both forms share

    /** The layer's step kernel {@code id + suffix}, one thread per unit of every row. */
    private ProgramStep stepKernel(String when, String suffix) {
        return layer.step(when, layer.id() + suffix, "e:" + lin(h, 0));
    }

    /** The step kernel's conditions at step {@code t}: one launch, or a training and an inference one at t = 0. */
    private List<String> whens(int t) {
        return t == 0 && r.stateful() ? List.of("train", "eval") : List.of("always");
    }

    /** The initial cell state argument: a stateful LSTM's own rows in training, none otherwise. */
    private String initialCell(String when) {
        return when.equals("train") ? arena(layer.own(INITIAL_CELL)) : "N:0";
    }

    /** A GRU's initial hidden state argument: the plan's initial rows in training ({@code H} apart), else none. */
    private String initialHidden(String when) {
        return when.equals("train") ? arena(regions.initial()) : "N:0";
    }

    /** The biases {@code a} (a parameter's role) and {@code b} (an address, or none) added to every step's row. */
    private void addBiasRows(String m, String a, String b) {
        layer.step("lamina_add_bias_rows", "e:" + lin(steps * width, 0)).arg("m", m).l("rows", lin(steps, 0))
                .i("cols", width).arg("a", layer.param(a)).arg("b", b);
    }

    /**
     * {@code width} floats of each batch row from {@code src} (rows {@code srcStride} apart) copied
     * ({@code lamina_copy_rows}) or added ({@code lamina_add_rows}) into {@code dst}.
     */
    private void rows(String action, String when, String src, int srcStride, String dst, int dstStride) {
        layer.step(when, action, "e:" + lin(h, 0)).arg("src", src).i("srcStride", srcStride).arg("dst", dst)
                .i("dstStride", dstStride).l("rows", "n").i("width", h);
    }

    /** Without sequences, the layer's output is the last step's hidden state. */
    private void lastHidden() {
        if (!r.sequences()) {
            rows("lamina_copy_rows", "always", arena(regions.hidden(), (steps - 1) * h), steps * h, layer.out(), h);
        }
    }

    /** The state gradients start as the output's gradient: at every step, or at the last only. */
    private void outputGradient() {
        int dhRegion = layer.own(STATE_GRADIENTS);
        if (r.sequences()) {
            layer.copy("always", arena(dhRegion), layer.delta(), lin(steps * h, 0));
        } else {
            layer.zero(arena(dhRegion), lin(steps * h, 0));
            rows("lamina_copy_rows", "always", layer.delta(), h, arena(dhRegion, (steps - 1) * h), steps * h);
        }
    }

    /**
     * A stateful layer in training starts from the state it carried out of the last batch, as on the CPU: the
     * carried state becomes the plan's initial one, step 0 gets its recurrent projection from it (into
     * {@code target}: the gates, or a GRU's recurrent projections), and an LSTM's initial cell is laid out in rows
     * of its own. In inference the state starts from zeros, and none of this runs.
     */
    private void initialState(String target) {
        int perRow = r.carriedSize();
        layer.copy("train", arena(regions.initial()), arena(layer.own(CARRIED)), lin(perRow, 0));
        layer.gemm("train", "nt", "n", width, String.valueOf(h), arena(regions.initial()), perRow,
                layer.param("recurrent weight"), h, 1, target, steps * width);
        if (r.cell() == Op.Cell.LSTM) {
            rows("lamina_copy_rows", "train", arena(regions.initial(), h), perRow, arena(layer.own(INITIAL_CELL)), h);
        }
    }

    /**
     * What a stateful layer carries to the next batch: its last hidden state (and cell), saved in training unless
     * the state is held (a gradient check evaluates one batch many times).
     */
    private void saveState() {
        int perRow = r.carriedSize();
        int carried = layer.own(CARRIED);
        rows("lamina_copy_rows", "carry", arena(regions.hidden(), (steps - 1) * h), steps * h, arena(carried),
                perRow);
        if (r.cell() == Op.Cell.LSTM) {
            rows("lamina_copy_rows", "carry", arena(regions.state(), (steps - 1) * h), steps * h,
                    arena(carried, h), perRow);
        }
    }

    /**
     * The weight gradients of all steps: {@code W_ih} from the input projections' gradients {@code gates},
     * {@code W_hh} from the recurrent ones' {@code recurrent} (with a stateful layer's step 0 term from its
     * initial state, in training only).
     */
    private void weightGradients(String gates, String recurrent) {
        layer.gemm("tn", String.valueOf(width), features, lin(steps, 0), gates, width, layer.in(), features, 1,
                layer.gradient("weight"), features);
        if (r.stateful()) {
            layer.gemm("train", "tn", String.valueOf(width), h, "n", recurrent, steps * width,
                    arena(regions.initial()), r.carriedSize(), 1, layer.gradient("recurrent weight"), h);
        }
        for (int t = 1; t < steps; t++) {
            String at = r.cell() == Op.Cell.GRU ? arena(regions.state(), t * width) : arena(regions.gates(), t * width);
            layer.gemm("tn", String.valueOf(width), h, "n", at, steps * width, arena(regions.hidden(), (t - 1) * h),
                    steps * h, 1, layer.gradient("recurrent weight"), h);
        }
    }

    /** A bias's gradient: the column sums of its projections' gradients over every step of every row. */
    private void columnSums(String gradients, String bias) {
        layer.step("lamina_column_sums", "b:" + width).arg("m", gradients).i("rows", lin(steps, 0)).i("cols", width)
                .arg("out", layer.gradient(bias));
    }

    /** The gradient at the input: the gates' gradients through {@code W_ih}. */
    private void inputGradient() {
        if (layer.needsInputGradient()) {
            layer.gemm("nn", lin(steps, 0), features, String.valueOf(width), arena(regions.gates()), width,
                    layer.param("weight"), features, 0, layer.deltaIn(), features);
        }
    }
}
