package dev.lamina.processor.emit.cuda;

import static dev.lamina.processor.emit.cuda.DeviceProgram.arena;
import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.MemoryPlan;
import java.util.List;

/**
 * The recurrent layers' part of a device program: LSTM (peephole, coupled), GRU and Elman RNN, stateful or not,
 * forward and backpropagation through time, in the CPU's layout ({@code [rows][steps][...]}, one step of all rows a
 * matrix of stride {@code steps x width}) and the CPU's order of operations.
 */
final class RecurrentSteps {
    private final DeviceProgram program;
    private final MemoryPlan plan;

    RecurrentSteps(DeviceProgram program, MemoryPlan plan) {
        this.program = program;
        this.plan = plan;
    }

    // the program's own ways of writing a step, a GEMM and an address

    private void step(String pass, String when, String action, String grid, String... args) {
        program.step(pass, when, action, grid, args);
    }

    private void gemm(String pass, String ops, String m, int n, int k, String a, int lda, String b, int ldb,
                      int beta, String c, int ldc) {
        program.gemm(pass, ops, m, n, k, a, lda, b, ldb, beta, c, ldc);
    }

    private void gemm(String pass, String ops, String m, int n, String k, String a, int lda, String b, int ldb,
                      int beta, String c, int ldc) {
        program.gemm(pass, ops, m, n, k, a, lda, b, ldb, beta, c, ldc);
    }

    private void gemm(String pass, String when, String ops, String m, int n, String k, String a, int lda, String b,
                      int ldb, int beta, String c, int ldc) {
        program.gemm(pass, when, ops, m, n, k, a, lda, b, ldb, beta, c, ldc);
    }

    private String param(Node node, String role) {
        return program.param(node, role);
    }

    private String gradient(Node node, String role) {
        return program.gradient(node, role);
    }

    /**
     * The CPU's fast LSTM (and Elman RNN, one tanh gate) on the device: one GEMM projects every step's input, the
     * two biases are added to all of them, then per step a GEMM adds the recurrent projection and the step kernel
     * runs the gates and the cell.
     */
    void forward(Node node, Op.Recurrent r, String id, String in, String out) {
        int steps = node.in().steps();
        int features = node.in().features();
        int h = r.units();
        int width = r.gates() * h;
        MemoryPlan.RecurrentRegions regions = plan.recurrent().get(node.id());
        gemm("forward", "nt", lin(steps, 0), width, features, in, features, param(node, "weight"), features, 0,
                arena(regions.gates()), width);
        if (r.cell() == Op.Cell.GRU) {
            gruForward(node, r, id, out, regions);
            return;
        }
        step("forward", "always", "lamina_add_bias_rows", "e:" + lin(steps * width, 0), arena(regions.gates()),
                "l:" + lin(steps, 0), "i:" + width, param(node, "bias"), param(node, "recurrent bias"));
        if (r.stateful()) {
            initialState(node, r, regions, arena(regions.gates()), width);
        }
        String peep = r.peephole() ? param(node, "peephole") : "N:0";
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                gemm("forward", "nt", "n", width, h, arena(regions.hidden(), (t - 1) * h), steps * h,
                        param(node, "recurrent weight"), h, 1, arena(regions.gates(), t * width), steps * width);
            }
            if (r.cell() == Op.Cell.LSTM) {
                for (String when : whens(r, t)) {
                    step("forward", when, id + "_step", "e:" + lin(h, 0), arena(regions.gates()),
                            arena(regions.state()), arena(regions.hidden()), initialCell(node, when), peep, "i:n",
                            "i:" + t);
                }
            } else {
                step("forward", "always", id + "_step", "e:" + lin(h, 0), arena(regions.gates()),
                        arena(regions.hidden()), "i:n", "i:" + t);
            }
        }
        if (!r.sequences()) {
            step("forward", "always", "lamina_copy_rows", "e:" + lin(h, 0), arena(regions.hidden(), (steps - 1) * h),
                    "i:" + steps * h, out, "i:" + h, "l:n", "i:" + h);
        }
        if (r.stateful()) {
            saveState(node, r, regions);
        }
    }

    /** The step kernel's conditions at step {@code t}: one launch, or a training and an inference one at t = 0. */
    private static List<String> whens(Op.Recurrent r, int t) {
        return t == 0 && r.stateful() ? List.of("train", "eval") : List.of("always");
    }

    /** The initial cell state argument: a stateful LSTM's own rows in training, none otherwise. */
    private String initialCell(Node node, String when) {
        return when.equals("train") ? arena(program.initialCell.get(node.id())) : "N:0";
    }

    /**
     * A stateful layer in training starts from the state it carried out of the last batch, as on the CPU: the
     * carried state becomes the plan's initial one, step 0 gets its recurrent projection from it (into
     * {@code target}: the gates, or a GRU's recurrent projections), and an LSTM's initial cell is laid out in rows
     * of its own. In inference the state starts from zeros, and none of this runs.
     */
    private void initialState(Node node, Op.Recurrent r, MemoryPlan.RecurrentRegions regions, String target,
                              int width) {
        int h = r.units();
        int perRow = r.carriedSize();
        int steps = node.in().steps();
        step("forward", "train", "copy", "-", arena(regions.initial()), arena(program.carried.get(node.id())),
                "l:" + lin(perRow, 0));
        gemm("forward", "train", "nt", "n", width, String.valueOf(h), arena(regions.initial()), perRow,
                param(node, "recurrent weight"), h, 1, target, steps * width);
        if (r.cell() == Op.Cell.LSTM) {
            step("forward", "train", "lamina_copy_rows", "e:" + lin(h, 0), arena(regions.initial(), h),
                    "i:" + perRow, arena(program.initialCell.get(node.id())), "i:" + h, "l:n", "i:" + h);
        }
    }

    /**
     * What a stateful layer carries to the next batch: its last hidden state (and cell), saved in training unless
     * the state is held (a gradient check evaluates one batch many times).
     */
    private void saveState(Node node, Op.Recurrent r, MemoryPlan.RecurrentRegions regions) {
        int h = r.units();
        int steps = node.in().steps();
        int perRow = r.carriedSize();
        step("forward", "carry", "lamina_copy_rows", "e:" + lin(h, 0), arena(regions.hidden(), (steps - 1) * h),
                "i:" + steps * h, arena(program.carried.get(node.id())), "i:" + perRow, "l:n", "i:" + h);
        if (r.cell() == Op.Cell.LSTM) {
            step("forward", "carry", "lamina_copy_rows", "e:" + lin(h, 0), arena(regions.state(), (steps - 1) * h),
                    "i:" + steps * h, arena(program.carried.get(node.id()), h), "i:" + perRow, "l:n", "i:" + h);
        }
    }

    /** A stateful layer's step 0 term of the recurrent weight gradient, from the initial state (training only). */
    private void initialWeightGradient(Node node, Op.Recurrent r, MemoryPlan.RecurrentRegions regions,
                                       String gradients, int width) {
        if (r.stateful()) {
            gemm("backward", "train", "tn", String.valueOf(width), r.units(), "n", gradients,
                    node.in().steps() * width, arena(regions.initial()), r.carriedSize(), 1,
                    gradient(node, "recurrent weight"), r.units());
        }
    }

    /**
     * Backpropagation through time, mirroring the CPU: the gradient at each step's hidden state is the output's
     * plus what the step after sends back through {@code W_hh}; the step kernel turns it into the gates'
     * pre-activation gradients (in the gates region) and the cell's gradient a step back; then the weight
     * gradients of all steps are GEMMs over the gates' gradients.
     */
    void backward(Node node, Op.Recurrent r, String id, String in, String delta, String deltaIn) {
        int steps = node.in().steps();
        int features = node.in().features();
        int h = r.units();
        int width = r.gates() * h;
        MemoryPlan.RecurrentRegions regions = plan.recurrent().get(node.id());
        String dh = arena(program.stateGradients.get(node.id()));
        if (r.cell() == Op.Cell.GRU) {
            gruBackward(node, r, id, in, delta, deltaIn, regions);
            return;
        }
        boolean lstm = r.cell() == Op.Cell.LSTM;
        String dc = lstm ? arena(program.cellGradient.get(node.id())) : null;
        if (lstm) {
            step("backward", "always", "zero", "-", dc, "l:" + lin(h, 0));
        }
        if (r.sequences()) {
            step("backward", "always", "copy", "-", dh, delta, "l:" + lin(steps * h, 0));
        } else {
            step("backward", "always", "zero", "-", dh, "l:" + lin(steps * h, 0));
            step("backward", "always", "lamina_copy_rows", "e:" + lin(h, 0), delta, "i:" + h,
                    arena(program.stateGradients.get(node.id()), (steps - 1) * h), "i:" + steps * h, "l:n", "i:" + h);
        }
        String peep = r.peephole() ? param(node, "peephole") : "N:0";
        String dPeep = r.peephole() ? gradient(node, "peephole") : "N:0";
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                gemm("backward", "nn", "n", h, width, arena(regions.gates(), (t + 1) * width), steps * width,
                        param(node, "recurrent weight"), h, 1, arena(program.stateGradients.get(node.id()), t * h),
                        steps * h);
            }
            if (lstm) {
                for (String when : whens(r, t)) {
                    step("backward", when, id + "_step_backward", "e:" + lin(h, 0), arena(regions.gates()),
                            arena(regions.state()), dh, dc, initialCell(node, when), peep, dPeep, "i:n", "i:" + t);
                }
            } else {
                step("backward", "always", id + "_step_backward", "e:" + lin(h, 0), arena(regions.gates()), dh,
                        "i:n", "i:" + t);
            }
        }
        gemm("backward", "tn", String.valueOf(width), features, lin(steps, 0), arena(regions.gates()), width, in,
                features, 1, gradient(node, "weight"), features);
        initialWeightGradient(node, r, regions, arena(regions.gates()), width);
        for (int t = 1; t < steps; t++) {
            gemm("backward", "tn", String.valueOf(width), h, "n", arena(regions.gates(), t * width), steps * width,
                    arena(regions.hidden(), (t - 1) * h), steps * h, 1, gradient(node, "recurrent weight"), h);
        }
        // the two biases enter the same sum, so they get the same gradient
        for (String bias : List.of("bias", "recurrent bias")) {
            step("backward", "always", "lamina_column_sums", "b:" + width, arena(regions.gates()),
                    "i:" + lin(steps, 0), "i:" + width, gradient(node, bias));
        }
        if (deltaIn != null) {
            gemm("backward", "nn", lin(steps, 0), features, String.valueOf(width), arena(regions.gates()), width,
                    param(node, "weight"), features, 0, deltaIn, features);
        }
    }

    /**
     * A GRU after its input projection, in the CPU's form: the reset gate multiplies the recurrent projection, so
     * the projections of each step ({@code projections}, biased by {@code b_hh}) are kept apart from the input
     * ones ({@code gates}, biased by {@code b_ih}); each step adds {@code h_{t-1} W_hh^T} to its projections.
     */
    private void gruForward(Node node, Op.Recurrent r, String id, String out, MemoryPlan.RecurrentRegions regions) {
        int steps = node.in().steps();
        int h = r.units();
        int width = 3 * h;
        String projections = arena(regions.state());
        step("forward", "always", "lamina_add_bias_rows", "e:" + lin(steps * width, 0), arena(regions.gates()),
                "l:" + lin(steps, 0), "i:" + width, param(node, "bias"), "N:0");
        step("forward", "always", "zero", "-", projections, "l:" + lin(steps * width, 0));
        step("forward", "always", "lamina_add_bias_rows", "e:" + lin(steps * width, 0), projections,
                "l:" + lin(steps, 0), "i:" + width, param(node, "recurrent bias"), "N:0");
        if (r.stateful()) {
            initialState(node, r, regions, projections, width);
        }
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                gemm("forward", "nt", "n", width, h, arena(regions.hidden(), (t - 1) * h), steps * h,
                        param(node, "recurrent weight"), h, 1, arena(regions.state(), t * width), steps * width);
            }
            for (String when : whens(r, t)) {
                step("forward", when, id + "_step", "e:" + lin(h, 0), arena(regions.gates()), projections,
                        arena(regions.hidden()), initialHidden(regions, when), "i:n", "i:" + t);
            }
        }
        if (!r.sequences()) {
            step("forward", "always", "lamina_copy_rows", "e:" + lin(h, 0), arena(regions.hidden(), (steps - 1) * h),
                    "i:" + steps * h, out, "i:" + h, "l:n", "i:" + h);
        }
        if (r.stateful()) {
            saveState(node, r, regions);
        }
    }

    /** A GRU's initial hidden state argument: the plan's initial rows in training ({@code H} apart), else none. */
    private static String initialHidden(MemoryPlan.RecurrentRegions regions, String when) {
        return when.equals("train") ? arena(regions.initial()) : "N:0";
    }

    /**
     * Back through a GRU as the CPU goes: each step's state gradient is the output's, plus the step after's
     * projections' gradients through {@code W_hh}, plus what bypassed them ({@code z dh}, carried a step back);
     * the weight gradients come from the input projections' gradients ({@code W_ih}, {@code b_ih}) and the
     * recurrent ones' ({@code W_hh}, {@code b_hh}).
     */
    private void gruBackward(Node node, Op.Recurrent r, String id, String in, String delta, String deltaIn,
                             MemoryPlan.RecurrentRegions regions) {
        int steps = node.in().steps();
        int features = node.in().features();
        int h = r.units();
        int width = 3 * h;
        int dhRegion = program.stateGradients.get(node.id());
        String dh = arena(dhRegion);
        String carriedGradient = arena(program.cellGradient.get(node.id()));
        String projections = arena(regions.state());
        if (r.sequences()) {
            step("backward", "always", "copy", "-", dh, delta, "l:" + lin(steps * h, 0));
        } else {
            step("backward", "always", "zero", "-", dh, "l:" + lin(steps * h, 0));
            step("backward", "always", "lamina_copy_rows", "e:" + lin(h, 0), delta, "i:" + h,
                    arena(dhRegion, (steps - 1) * h), "i:" + steps * h, "l:n", "i:" + h);
        }
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                gemm("backward", "nn", "n", h, width, arena(regions.state(), (t + 1) * width), steps * width,
                        param(node, "recurrent weight"), h, 1, arena(dhRegion, t * h), steps * h);
                step("backward", "always", "lamina_add_rows", "e:" + lin(h, 0), carriedGradient, "i:" + h,
                        arena(dhRegion, t * h), "i:" + steps * h, "l:n", "i:" + h);
            }
            for (String when : whens(r, t)) {
                step("backward", when, id + "_step_backward", "e:" + lin(h, 0), arena(regions.gates()),
                        projections, arena(regions.hidden()), dh, carriedGradient, initialHidden(regions, when), "i:n",
                        "i:" + t);
            }
        }
        gemm("backward", "tn", String.valueOf(width), features, lin(steps, 0), arena(regions.gates()), width, in,
                features, 1, gradient(node, "weight"), features);
        initialWeightGradient(node, r, regions, projections, width);
        for (int t = 1; t < steps; t++) {
            gemm("backward", "tn", String.valueOf(width), h, "n", arena(regions.state(), t * width), steps * width,
                    arena(regions.hidden(), (t - 1) * h), steps * h, 1, gradient(node, "recurrent weight"), h);
        }
        step("backward", "always", "lamina_column_sums", "b:" + width, arena(regions.gates()), "i:" + lin(steps, 0),
                "i:" + width, gradient(node, "bias"));
        step("backward", "always", "lamina_column_sums", "b:" + width, projections, "i:" + lin(steps, 0),
                "i:" + width, gradient(node, "recurrent bias"));
        if (deltaIn != null) {
            gemm("backward", "nn", lin(steps, 0), features, String.valueOf(width), arena(regions.gates()), width,
                    param(node, "weight"), features, 0, deltaIn, features);
        }
    }
}
