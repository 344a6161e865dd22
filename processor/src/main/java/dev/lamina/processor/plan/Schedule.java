package dev.lamina.processor.plan;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.ops.OpKinds;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import dev.lamina.processor.plan.MemoryPlan.RecurrentRegions;
import dev.lamina.processor.plan.MemoryPlan.TensorSlot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a training step runs, in order, with every region resolved: built once from the fused graph and its
 * {@link MemoryPlan}, so that the Java emitter, the CUDA emitter and the device-program writer render the same
 * steps instead of each walking the graph and re-deriving the layout.
 *
 * <ul>
 *   <li>{@link #forward()}: every layer after the input, in graph order. A view (a flatten) has a step too, marked
 *       {@link Step#view()}: it computes nothing, its output region is its input's.</li>
 *   <li>{@link #loss()}: one step on the output node: it reads the output region and writes the output's
 *       gradient slot.</li>
 *   <li>{@link #backward()}: the layers in reverse graph order, each reading its output gradient and writing the
 *       gradient for each of its inputs ({@link Step#inputGradients()}); a view of the network input, which no
 *       one needs a gradient for, has no step.</li>
 *   <li>{@link #backwardToInput()}: the same, planned so that it also gives the gradient with respect to the
 *       network input ({@link #inputGradientRegion()}): what the generated code runs when a caller asks for it.
 *       Empty for a network whose input is token ids.</li>
 *   <li>{@link #update()}: one step per layer with parameters, in graph order, naming its tensors. The runtime's
 *       optimiser updates the flat parameter array at once; these steps say what lies where in it.</li>
 * </ul>
 *
 * <p>Regions are offsets per sample (the generated code multiplies them by the batch size, as
 * {@link MemoryPlan} says) in the activation arena, except {@link Step#argmax()}, in the index arena; a region a
 * step does not have is {@link #NONE}. Gradient regions are those of the slots: {@link #deltaRegion(int)}.
 */
public final class Schedule {
    /** The value of a region, a slot or a node id that a step does not have. */
    public static final int NONE = -1;

    /** The part of a training step a {@link Step} belongs to. */
    public enum Phase {
        FORWARD, LOSS, BACKWARD, UPDATE
    }

    /**
     * One step: a node's work in one phase, with what it reads and writes.
     *
     * @param sources        the nodes whose outputs it reads ({@code input}, then {@code others}), looking through
     *                       views: the layer a flatten shows
     * @param inputs         their output regions, in the same order
     * @param output         its output region (its input's for a view; {@link #NONE} in the loss and update)
     * @param gradientSlot   the slot of the gradient with respect to its output: read by its backward step,
     *                       written by the loss ({@link #NONE} in forward and update steps, and where the node has
     *                       none)
     * @param gradient       that slot's region
     * @param inputGradients per input, in the order of {@code inputs}, where the backward step puts its gradient
     *                       (empty outside the backward pass)
     * @param mask           its dropout mask (its own, or that of a dropout folded into it)
     * @param argmax         a max pool's winners (or those of a pool folded into it), in the index arena
     * @param sums           a convolution's raw sums before its folded pool
     * @param normStats      a layer norm's row statistics, a response norm's denominator bases
     * @param grouped        a grouped convolution's working region
     * @param recurrent      a recurrent layer's per-step regions, or null
     * @param parameters     its trainable tensors, in flat-array order
     * @param buffers        its running statistics, in buffer order
     */
    public record Step(Phase phase, Node node, boolean view, List<Integer> sources, List<Integer> inputs, int output,
                       int gradientSlot, int gradient, List<InputGradient> inputGradients, int mask, int argmax,
                       int sums, int normStats, int grouped, RecurrentRegions recurrent, List<TensorSlot> parameters,
                       List<TensorSlot> buffers) {
        public Step {
            sources = List.copyOf(sources);
            inputs = List.copyOf(inputs);
            inputGradients = List.copyOf(inputGradients);
            parameters = List.copyOf(parameters);
            buffers = List.copyOf(buffers);
        }

        /** The node's id. */
        public int id() {
            return node.id();
        }

        /** The region of its main input. */
        public int input() {
            return inputs.get(0);
        }

        /** The node computing its main input, looking through views. */
        public int source() {
            return sources.get(0);
        }

        /** Where the backward step puts the gradient for its main input. */
        public InputGradient inputGradient() {
            return inputGradients.get(0);
        }

        /** Its trainable tensor of role {@code role} ({@code weight}, {@code bias}, ...). */
        public TensorSlot parameter(String role) {
            return find(parameters, role);
        }

        /** Its running statistic of role {@code role}. */
        public TensorSlot buffer(String role) {
            return find(buffers, role);
        }

        private TensorSlot find(List<TensorSlot> slots, String role) {
            return slots.stream().filter(s -> s.role().equals(role)).findFirst().orElseThrow(
                    () -> new IllegalStateException(node.name() + " has no tensor '" + role + "'"));
        }
    }

    /**
     * Where a backward step puts the gradient for one input: slot {@code slot} (region {@code region}), then, when
     * {@code accumulateSlot} is not {@link #NONE}, added into that slot (region {@code accumulateRegion}), the
     * input's gradient that another reader already wrote. {@link #none()}: the input needs no gradient.
     */
    public record InputGradient(int input, int slot, int region, int accumulateSlot, int accumulateRegion) {
        public boolean none() {
            return slot == NONE;
        }

        public boolean accumulates() {
            return accumulateSlot != NONE;
        }
    }

    private final Graph graph;
    private final MemoryPlan plan;
    private final List<Step> forward = new ArrayList<>();
    private final List<Step> backward = new ArrayList<>();
    private final List<Step> backwardToInput = new ArrayList<>();
    private final List<Step> update = new ArrayList<>();
    private final Step loss;

    private Schedule(Graph graph, MemoryPlan plan) {
        this.graph = graph;
        this.plan = plan;
        for (Node node : graph.layers()) {
            forward.add(step(Phase.FORWARD, node, plan.gradient(), plan.contributions()));
            if (plan.parameters().stream().anyMatch(s -> s.node() == node.id())) {
                update.add(step(Phase.UPDATE, node, plan.gradient(), plan.contributions()));
            }
        }
        List<Node> layers = graph.layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (plan.gradient().containsKey(layers.get(i).id())) {
                backward.add(step(Phase.BACKWARD, layers.get(i), plan.gradient(), plan.contributions()));
            }
            MemoryPlan.ToInput toInput = plan.toInput();
            if (toInput != null && toInput.gradient().containsKey(layers.get(i).id())) {
                backwardToInput.add(step(Phase.BACKWARD, layers.get(i), toInput.gradient(), toInput.contributions()));
            }
        }
        Node output = graph.output();
        int slot = plan.gradient().get(output.id());
        loss = new Step(Phase.LOSS, output, false, List.of(source(output.id())), List.of(region(output.id())), NONE,
                slot, deltaRegion(slot), List.of(), NONE, NONE, NONE, NONE, NONE, null, List.of(), List.of());
    }

    /** The schedule of {@code graph} (fused, as planned) laid out by {@code plan}. */
    public static Schedule of(Graph graph, MemoryPlan plan) {
        return new Schedule(graph, plan);
    }

    /** The graph it was built from. */
    public Graph graph() {
        return graph;
    }

    /** The memory plan its regions come from. */
    public MemoryPlan plan() {
        return plan;
    }

    public List<Step> forward() {
        return List.copyOf(forward);
    }

    public Step loss() {
        return loss;
    }

    public List<Step> backward() {
        return List.copyOf(backward);
    }

    /** The backward pass that also gives the input's gradient; empty when the input is token ids. */
    public List<Step> backwardToInput() {
        return List.copyOf(backwardToInput);
    }

    /**
     * The region holding the gradient with respect to the network input after {@link #backwardToInput()}, stored
     * as the input is ({@code deltaStride} floats per sample); {@link #NONE} when the input is token ids.
     */
    public int inputGradientRegion() {
        return plan.toInput() == null ? NONE : deltaRegion(plan.toInput().inputSlot());
    }

    public List<Step> update() {
        return List.copyOf(update);
    }

    /** Every step of a training step, in order: forward, loss, backward, update. */
    public List<Step> steps() {
        List<Step> all = new ArrayList<>(forward);
        all.add(loss);
        all.addAll(backward);
        all.addAll(update);
        return all;
    }

    /** The region of gradient slot {@code slot}. */
    public int deltaRegion(int slot) {
        return plan.deltaBase() + slot * plan.deltaStride();
    }

    private Step step(Phase phase, Node node, Map<Integer, Integer> gradients,
                      Map<Integer, List<Contribution>> contributionsByNode) {
        boolean view = OpKinds.of(node.op()).kind().isView();
        List<Integer> sources = node.inputs().stream().map(this::source).toList();
        List<Integer> inputs = sources.stream().map(this::region).toList();
        boolean update = phase == Phase.UPDATE;
        int slot = phase != Phase.BACKWARD ? NONE : gradients.getOrDefault(node.id(), NONE);
        List<InputGradient> inputGradients = new ArrayList<>();
        if (phase == Phase.BACKWARD) {
            List<Contribution> contributions = contributionsByNode.get(node.id());
            for (int k = 0; k < contributions.size(); k++) {
                inputGradients.add(inputGradient(node.inputs().get(k), contributions.get(k)));
            }
        }
        return new Step(phase, node, view, sources, inputs, update ? NONE : region(node.id()), slot,
                slot == NONE ? NONE : deltaRegion(slot), inputGradients, or(plan.mask(), node),
                or(plan.argmax(), node), or(plan.sums(), node), or(plan.normStats(), node),
                or(plan.grouped(), node), plan.recurrent().get(node.id()), slots(plan.parameters(), node),
                slots(plan.buffers(), node));
    }

    private InputGradient inputGradient(int input, Contribution c) {
        if (c.none()) {
            return new InputGradient(input, NONE, NONE, NONE, NONE);
        }
        int into = c.accumulateInto();
        return new InputGradient(input, c.slot(), deltaRegion(c.slot()), into < 0 ? NONE : into,
                into < 0 ? NONE : deltaRegion(into));
    }

    /** The node that computes what {@code id} shows: itself, or the layer (or the input) under its views. */
    public int source(int id) {
        Node node = graph.node(id);
        while (OpKinds.of(node.op()).kind().isView()) {
            node = graph.node(node.input());
        }
        return node.id();
    }

    /** The output region of node {@code id}, looking through views. */
    public int region(int id) {
        return plan.output().get(source(id));
    }

    private static int or(Map<Integer, Integer> regions, Node node) {
        return regions.getOrDefault(node.id(), NONE);
    }

    private static List<TensorSlot> slots(List<TensorSlot> all, Node node) {
        return all.stream().filter(s -> s.node() == node.id()).toList();
    }
}
