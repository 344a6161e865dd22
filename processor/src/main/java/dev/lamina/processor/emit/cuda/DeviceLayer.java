package dev.lamina.processor.emit.cuda;

import static dev.lamina.processor.emit.cuda.DeviceProgram.arena;
import static dev.lamina.processor.emit.cuda.DeviceProgram.lin;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import dev.lamina.processor.plan.Schedule;
import dev.lamina.processor.plan.Schedule.Step;
import java.util.List;

/**
 * One layer's part of one pass of a device program, as its kind's {@link CudaLowering} writes it: where its input,
 * output and gradients are (its {@link Schedule.Step}'s, resolved by the schedule), its parameters and the
 * device's own regions, and the ways of writing a step that several kinds share. Addresses are the program's
 * ({@code A:784n}, {@code P:150}, ...).
 */
public final class DeviceLayer {
    private final DeviceProgram program;
    private final Schedule schedule;
    private final DeviceRegions regions;
    private final Step step;
    private final Node node;
    private final String pass;
    private final String deltaIn;

    DeviceLayer(DeviceProgram program, Schedule schedule, DeviceRegions regions, Step step, String pass,
                String deltaIn) {
        this.program = program;
        this.schedule = schedule;
        this.regions = regions;
        this.step = step;
        this.node = step.node();
        this.pass = pass;
        this.deltaIn = deltaIn;
    }

    public Node node() {
        return node;
    }

    /** The schedule's step this layer's part renders: its regions and gradient slots in this pass. */
    public Step scheduleStep() {
        return step;
    }

    public Graph graph() {
        return schedule.graph();
    }

    public MemoryPlan plan() {
        return schedule.plan();
    }

    /** The prefix of the layer's own kernels in the .cu: its name as a C identifier. */
    public String id() {
        return CudaEmitter.identifier(node);
    }

    // ---------------------------------------------------------------- addresses

    /** The layer's input, in the arena. */
    public String in() {
        return arena(step.input());
    }

    /** The layer's output, in the arena. */
    public String out() {
        return arena(step.output());
    }

    /** The output of node {@code id}, looking through flattens (a view of their input). */
    public String output(int id) {
        return arena(schedule.region(id));
    }

    /** The gradient at the layer's output (backward). */
    public String delta() {
        return arena(step.gradient());
    }

    /** Where the gradient at the layer's input goes (backward); null when nothing needs it. */
    public String deltaIn() {
        return deltaIn;
    }

    public boolean needsInputGradient() {
        return deltaIn != null;
    }

    /**
     * What the gradient at each input of the layer becomes (backward): a slot of its own, added to another, or none;
     * the schedule step's.
     */
    public List<Contribution> contributions() {
        return step.inputGradients().stream().map(g -> new Contribution(g.slot(), g.accumulateSlot())).toList();
    }

    /** A gradient slot of the plan, in the arena. */
    public String gradientSlot(int slot) {
        return arena(schedule.deltaRegion(slot));
    }

    /** A parameter of the layer, by its role ({@code weight}, {@code bias}, ...). */
    public String param(String role) {
        return "P:" + paramOffset(role);
    }

    /** The parameter's offset in the parameters, for a step that addresses part of it. */
    public int paramOffset(String role) {
        return step.parameter(role).offset();
    }

    /** The gradient of a parameter: the same offset in the gradients. */
    public String gradient(String role) {
        return "G:" + paramOffset(role);
    }

    /** A buffer of the layer (running statistics), by its role. */
    public String buffer(String role) {
        return "B:" + step.buffer(role).offset();
    }

    /** The layer's dropout mask (its own, or that of a dropout folded into it). */
    public String mask() {
        return arena(present(step.mask(), "mask"));
    }

    /** The statistics a normalisation keeps for its backward pass. */
    public String normStats() {
        return arena(present(step.normStats(), "normalisation statistics"));
    }

    private int present(int region, String what) {
        if (region == Schedule.NONE) {
            throw new IllegalStateException(node.name() + " has no " + what);
        }
        return region;
    }

    /** A region the layer reserved for itself, per sample. */
    public int own(String name) {
        return regions.own(node, name);
    }

    /** A region the layers share. */
    public String shared(DeviceRegions.Shared which) {
        return arena(regions.shared(which));
    }

    public int sharedRegion(DeviceRegions.Shared which) {
        return regions.shared(which);
    }

    /** The layer's part of the float work area: {@code W:OFFSET}. */
    public String work(String name) {
        return "W:" + regions.work(node, name);
    }

    /** Another layer's part of the float work area: a batch norm's scale, read by the add that applies it. */
    public String work(Node owner, String name) {
        return "W:" + regions.work(owner, name);
    }

    /** The layer's part of the double work area: {@code D:OFFSET}. */
    public String doubles(String name) {
        return "D:" + regions.work(node, name);
    }

    /** A max pool's winners (this layer, or the pool an unpooling pairs with): {@code I:REGIONn}. */
    public String winners(Node pool) {
        return "I:" + lin(regions.winners(pool), 0);
    }

    // ---------------------------------------------------------------- steps

    /** A step of this pass that always runs. */
    public ProgramStep step(String action, String grid) {
        return step("always", action, grid);
    }

    /** A step of this pass that runs {@code when} ({@code always}, {@code train}, {@code eval}, {@code carry}). */
    public ProgramStep step(String when, String action, String grid) {
        return program.step(pass, when, node.name(), action, grid);
    }

    /** {@code count} floats from {@code at} set to zero. */
    public void zero(String at, String count) {
        step("zero", "-").arg("at", at).l("count", count);
    }

    /** {@code count} floats copied from {@code from} to {@code to}. */
    public void copy(String when, String to, String from, String count) {
        step(when, "copy", "-").arg("to", to).arg("from", from).l("count", count);
    }

    /** One GEMM {@code C = op(A) op(B) (+ C when accumulate)}, row-major, op(A) m x k and op(B) k x n. */
    public void gemm(String ops, String m, int n, String k, String a, int lda, String b, int ldb, int beta, String c,
                     int ldc) {
        gemm("always", ops, m, n, k, a, lda, b, ldb, beta, c, ldc);
    }

    public void gemm(String ops, String m, int n, int k, String a, int lda, String b, int ldb, int beta, String c,
                     int ldc) {
        gemm("always", ops, m, n, String.valueOf(k), a, lda, b, ldb, beta, c, ldc);
    }

    public void gemm(String when, String ops, String m, int n, String k, String a, int lda, String b, int ldb,
                     int beta, String c, int ldc) {
        step(when, "lamina_gemm_" + ops, "gemm:" + m + "," + n).i("m", m).i("n", n).i("k", k).f("alpha", 1)
                .arg("A", a).i("lda", lda).arg("B", b).i("ldb", ldb).f("beta", beta).arg("C", c).i("ldc", ldc);
    }

    /**
     * Bias, activation and a fused dropout over {@code values}: the layer's generated epilogue, when it has one
     * (the rule of {@link LayerKernels#epilogue}).
     */
    public void epilogue(String values, boolean bias, Op.Act act) {
        if (!bias && act.isIdentity() && !node.hasFusedDropout()) {
            return;
        }
        int size = node.hasFusedPool() ? node.ownOut().size() : node.out().size();
        ProgramStep s = step(id() + "_epilogue", "e:" + lin(size, 0)).arg("out", values);
        s = bias ? s.arg("bias", param("bias")) : s.none("bias");
        s.i("rows", "n");
        if (!node.hasFusedDropout() || node.hasFusedPool()) {
            s.none("mask").l("key", "0").i("training", 0);
            return;
        }
        // the CPU's masks: the pass's key salted with the dropout's field name (K:), drawn only in training (R:)
        s.arg("mask", mask()).arg("key", "K:" + node.dropoutName().hashCode()).arg("training", "R:0");
    }

    /**
     * {@code delta *= f'(u)} from the output {@code y}, when the activation is not the identity; through the mask
     * first when a dropout is fused into the layer.
     */
    public void activationBackward(String delta, String y, Op.Act act) {
        if (node.hasFusedDropout() && !node.hasFusedPool()) {
            step(id() + "_dropout_backward", "e:" + lin(node.out().size(), 0)).arg("delta", delta).arg("y", y)
                    .arg("mask", mask()).i("rows", "n");
            return;
        }
        if (act.isIdentity()) {
            return;
        }
        int size = node.hasFusedPool() ? node.ownOut().size() : node.out().size();
        step(id() + "_activation_backward", "e:" + lin(size, 0)).arg("delta", delta).arg("y", y)
                .i("rows", lin(1, 0));
    }

    /** The bias gradient: the column sums of {@code delta}, {@code rows} per sample by {@code columns}. */
    public void biasGradient(String delta, String rows, int columns) {
        step("lamina_column_sums", "b:" + columns).arg("m", delta).i("rows", rows).i("cols", columns)
                .arg("out", gradient("bias"));
    }

    /**
     * Unfolds {@code channels}-channel images at {@code from} into the shared columns, with a convolution's
     * geometry: {@code in} its input, {@code out} its output (before a fused pool).
     */
    public void im2col(Shape in, Shape out, int channels, int kernel, int stride, int padding, int dilation,
                       String from) {
        int field = kernel * kernel * channels;
        step("lamina_im2col", "e:" + lin(out.spatial() * field, 0)).arg("in", from).i("images", "n")
                .i("h", in.height()).i("w", in.width()).i("c", channels).i("k", kernel).i("stride", stride)
                .i("pad", padding).i("dilation", dilation).i("oh", out.height()).i("ow", out.width())
                .arg("cols", shared(DeviceRegions.Shared.COLUMNS));
    }

    /**
     * {@code width} channels at {@code offset} of {@code total}, for every one of {@code positions} per row:
     * {@code lamina_take} copies them out of {@code from}, {@code lamina_place} into {@code to}.
     */
    public void channels(String action, String from, int positions, int width, int total, int offset, String to) {
        boolean place = action.equals("lamina_place");
        step(action, "e:" + lin(positions * width, 0)).arg(place ? "part" : "joined", from)
                .l("positions", lin(positions, 0)).i("width", width).i("total", total).i("offset", offset)
                .arg(place ? "joined" : "part", to);
    }

    /** A max pool from {@code from} (of shape {@code in}) to {@code to}, recording the winners. */
    public void maxPool(Op.Pool p, Shape in, Shape out, String from, String to) {
        step("lamina_max_pool", "e:" + lin(out.size(), 0)).arg("in", from).i("images", lin(1, 0))
                .i("h", in.height()).i("w", in.width()).i("c", in.channels()).i("k", p.kernel())
                .i("stride", p.stride()).i("pad", p.padding()).i("oh", out.height()).i("ow", out.width())
                .arg("out", to).arg("argmax", winners(node));
    }

    /** Each pooled gradient added to its window's winner ({@code into} cleared first by the caller). */
    public void maxPoolBackward(String delta, String into) {
        String outputs = lin(node.out().size(), 0);
        step("lamina_max_pool_backward", "e:" + outputs).arg("dOut", delta).arg("argmax", winners(node))
                .l("outputs", outputs).arg("dIn", into);
    }

    /** A dropout's backward: the gradient times the mask, in place. */
    public void dropoutBackward(String delta) {
        String count = lin(node.out().size(), 0);
        step("lamina_dropout_backward", "e:" + count).arg("delta", delta).arg("mask", mask()).l("count", count);
    }

    /** A dropout over {@code size} values per row with the CPU's stream, its key salted with {@code field}. */
    public void dropout(String from, String to, int size, String field, double rate) {
        String count = lin(size, 0);
        step("lamina_dropout", "e:" + count).arg("x", from).arg("y", to).arg("mask", mask()).l("count", count)
                .arg("key", "K:" + field.hashCode()).f("rate", rate).f("scale", 1 / (1 - rate))
                .arg("training", "R:0");
    }

    /** {@code x} added into {@code y}, {@code count} floats: a second gradient into a slot another wrote. */
    public void accumulate(String x, String count, String y) {
        step("lamina_accumulate", "e:" + count).arg("x", x).l("count", count).arg("y", y);
    }

    /** The layer cannot run on the device: the program lists it and the network trains on the CPU. */
    public void unsupported(String why) {
        program.unsupported(node, why);
    }
}
