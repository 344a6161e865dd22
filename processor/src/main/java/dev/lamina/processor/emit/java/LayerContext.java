package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import dev.lamina.processor.plan.Schedule;
import dev.lamina.processor.plan.Schedule.Step;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one layer's part of a pass is written with: its {@link Schedule.Step} (the regions and gradient slots it
 * reads and writes, resolved by the schedule), the generated names, where this worker's rows of a region start, and
 * the pass's locals. A local's name is handed out by its method
 * ({@link #a()}, {@link #rows()}, ...), which records that the code uses it: the layer's method then takes exactly
 * those as parameters, and the pass declares only the locals some layer uses.
 *
 * <p>A worker works on rows {@code [first, first + rows)} of a batch of {@code n}; a region's slice starts at
 * {@code REGION * n + first * SIZE}.
 */
public final class LayerContext {
    private final Schedule schedule;
    private final Names names;
    private final BlockLoops loops;
    private final Step step;
    private final Node node;
    private final Set<String> used = new LinkedHashSet<>();

    LayerContext(Schedule schedule, Names names, BlockLoops loops, Step step) {
        this.schedule = schedule;
        this.names = names;
        this.loops = loops;
        this.step = step;
        this.node = step.node();
    }

    public Graph graph() {
        return schedule.graph();
    }

    public MemoryPlan plan() {
        return schedule.plan();
    }

    /** The element-wise loop methods of the generated class. */
    public BlockLoops loops() {
        return loops;
    }

    /** The step being written: the layer's regions and gradient slots in this pass. */
    public Step step() {
        return step;
    }

    /** The layer being written. */
    public Node node() {
        return node;
    }

    /** The pass's locals the code handed out so far. */
    Set<String> used() {
        return used;
    }

    // ---------------------------------------------------------------- the pass's locals

    private String use(String local) {
        used.add(local);
        return local;
    }

    /** The worker running this slice ({@code Worker}): its heap blocks. */
    public String worker() {
        return use("worker");
    }

    /** The batch size. */
    public String n() {
        return use("n");
    }

    /** The worker's first row. */
    public String first() {
        return use("first");
    }

    /** The worker's number of rows. */
    public String rows() {
        return use("rows");
    }

    /** {@code rows * k}. */
    public String rows(int k) {
        return rows() + " * " + k;
    }

    /** The arena as {@code Memory}. */
    public String arena() {
        return use("arena");
    }

    /** The arena as a {@code FloatBuffer}. */
    public String a() {
        return use("a");
    }

    /** The parameters as {@code Memory}. */
    public String params() {
        return use("params");
    }

    /** The parameters as a {@code FloatBuffer}. */
    public String p() {
        return use("p");
    }

    /** This worker's gradient block as {@code Memory}. */
    public String grads() {
        return use("grads");
    }

    /** This worker's gradient block as a {@code FloatBuffer}. */
    public String g() {
        return use("g");
    }

    /** Whether the network is training. */
    public String training() {
        return use("training");
    }

    /** The key of this forward pass's dropout masks. */
    public String dropoutKey() {
        return use("dropoutKey");
    }

    /** The running statistics as a {@code FloatBuffer}. */
    public String stats() {
        return use("stats");
    }

    /** The index arena ({@code int[]}). */
    public String indices() {
        return use("indices");
    }

    // ---------------------------------------------------------------- regions

    /** {@code REGION * n + first * perSample}: where this worker's rows of a region start. */
    public String slice(String region, int perSample) {
        return region + " * " + n() + " + " + first() + " * " + perSample;
    }

    /**
     * Where this worker's rows of a gradient ping-pong region start. Layers of different widths share these
     * regions, so each worker's slice is spaced by the widest layer ({@code DELTA_STRIDE}) and the workers' slices
     * never overlap, whichever layer each worker is at.
     */
    public String deltaSlice(String region) {
        return region + " * " + n() + " + " + first() + " * DELTA_STRIDE";
    }

    /** Where this worker's rows of gradient slot {@code slot} start. */
    public String slotSlice(int slot) {
        return deltaSlice(Names.slot(slot));
    }

    /** The region constant holding node {@code nodeId}'s output, looking through flattens. */
    public String out(int nodeId) {
        return names.out(nodeId);
    }

    /** {@code int in = ...}: this worker's rows of the layer's input. */
    public void declareIn(CodeBlock.Builder b) {
        b.addStatement("int in = $L", slice(names.region(step.source()), node.in().size()));
    }

    /** {@code int out = ...}: this worker's rows of the layer's output. */
    public void declareOut(CodeBlock.Builder b) {
        b.addStatement("int out = $L", slice(constant("OUT"), node.out().size()));
    }

    /** The layer's generated constant {@code <FIELD>_<suffix>} ({@code suffix} alone for the input). */
    public String constant(String suffix) {
        return Names.constant(node, suffix);
    }

    /** The constant holding the layer's sizes (a geometry record). */
    public String geometry() {
        return Names.constant(node, "GEOMETRY");
    }

    // ---------------------------------------------------------------- backward

    /**
     * Where each input's gradient goes, in the order of {@link Node#inputs()}: the backward step's (none in the
     * forward pass).
     */
    public List<Contribution> contributions() {
        return step.inputGradients().stream().map(g -> new Contribution(g.slot(), g.accumulateSlot())).toList();
    }

    /** Where the gradient with respect to the main input goes. */
    public Contribution main() {
        return contributions().get(0);
    }

    /** Whether the main input needs a gradient (it is not the network's input). */
    public boolean needsInputGradient() {
        return !step.inputGradient().none();
    }

    /** {@code int delta = ...}: this worker's rows of the gradient at the layer's output. */
    public void declareDelta(CodeBlock.Builder b) {
        b.addStatement("int delta = $L", slotSlice(step.gradientSlot()));
    }

    /** {@code int deltaIn = ...}, where the gradient with respect to the input goes, when it needs one. */
    public void declareDeltaIn(CodeBlock.Builder b) {
        if (needsInputGradient()) {
            b.addStatement("int deltaIn = $L", slotSlice(step.inputGradient().slot()));
        }
    }

    /**
     * When another reader of the input already wrote its gradient, adds the one in {@code from} (the region
     * {@code deltaIn} or, for a layer that works in place, {@code delta}) into it.
     */
    public void accumulateInputGradient(CodeBlock.Builder b, String from) {
        if (step.inputGradient().accumulates()) {
            // another reader of the input already wrote its gradient: add this one in
            b.addStatement("$T.accumulate($L, $L, $L, $L)", RuntimeTypes.REDUCTIONS, a(), from,
                    slotSlice(step.inputGradient().accumulateSlot()), rows(node.in().size()));
        }
    }
}
