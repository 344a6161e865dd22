package dev.lamina.processor.plan;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.ops.OpKinds;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Assigns the gradients with respect to layer outputs to a few shared slots, walking the backward pass: a
 * gradient lives from the moment the first of its readers (in backward order) writes it until its own layer's
 * backward step has run, and a slot is reused as soon as it is free. A chain therefore ping-pongs between two
 * slots. A layer read by several others (the input of a residual block) gets its gradient from the first one
 * processed; every later one writes to a temporary slot that is then added in. The kinds that pass their gradient
 * on in place ({@code OpKind.passesGradientInPlace}: dropout, flatten, add) hand their slot to their main input.
 *
 * <p>Planned twice: for training, where the network input needs no gradient, and for the backward pass that also
 * gives the gradient with respect to the input ({@link #planToInput}), where every reader of the input writes one
 * and the input's slot stays live to the end of the pass.
 */
public final class GradientSlots {
    private final Map<Integer, Integer> gradient = new HashMap<>();
    private final Map<Integer, List<Contribution>> contributions = new HashMap<>();
    private final TreeSet<Integer> free = new TreeSet<>();
    private int count;

    private final Graph graph;
    /** Whether the network input gets a gradient too. */
    private final boolean toInput;

    private GradientSlots(Graph graph, boolean toInput) {
        this.graph = graph;
        this.toInput = toInput;
    }

    /** The slots of {@code graph}'s backward pass in training: no gradient for the network input. */
    public static GradientSlots plan(Graph graph) {
        return plan(graph, false);
    }

    /**
     * The slots of {@code graph}'s backward pass that ends with the gradient with respect to the network input, in
     * slot {@code gradient().get(0)}; a network whose input is token ids (read by embeddings) has none: call
     * {@link #differentiableInInput} first.
     */
    public static GradientSlots planToInput(Graph graph) {
        if (!differentiableInInput(graph)) {
            throw new IllegalArgumentException("the input of " + graph.userClass() + " is token ids: no gradient");
        }
        return plan(graph, true);
    }

    /** Whether the network's input is values with a gradient (not token ids, which embeddings look up). */
    public static boolean differentiableInInput(Graph graph) {
        return graph.layers().stream().noneMatch(n -> kindOf(n.op()).readsTokens());
    }

    private static GradientSlots plan(Graph graph, boolean toInput) {
        GradientSlots s = new GradientSlots(graph, toInput);
        s.gradient.put(graph.output().id(), s.allocate());
        List<Node> layers = graph.layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            s.step(layers.get(i));
        }
        return s;
    }

    private void step(Node node) {
        Integer mine = gradient.get(node.id());
        OpKind<?> kind = kindOf(node.op());
        if (mine == null && kind.isView() && isInputView(node.id()) && !toInput) {
            // a view of the network input that no reader needs a gradient for
            contributions.put(node.id(), List.of(Contribution.NONE));
            return;
        }
        if (mine == null) {
            throw new IllegalStateException("layer '" + node.name() + "' does not reach the output");
        }
        boolean handedOn = false;
        List<Integer> temporaries = new ArrayList<>();
        List<Contribution> mineOut = new ArrayList<>();
        List<Integer> inputs = node.inputs();
        for (int k = 0; k < inputs.size(); k++) {
            int input = inputs.get(k);
            if (isInputView(input) && kind.skipsNetworkInputGradient() && !toInput) {
                mineOut.add(Contribution.NONE);
                continue;
            }
            Integer target = gradient.get(input);
            boolean passesOn = kind.passesGradientInPlace();
            boolean inPlace = k == 0 && passesOn;
            if (target == null) {
                if (inPlace) {
                    gradient.put(input, mine);
                    handedOn = true;
                    mineOut.add(new Contribution(mine, -1));
                } else {
                    int slot = allocate();
                    gradient.put(input, slot);
                    mineOut.add(new Contribution(slot, -1));
                }
            } else if (passesOn) {
                // the gradient is this layer's own (after its in-place step; an add's, for every input): add it
                // in directly
                mineOut.add(new Contribution(mine, target));
            } else {
                int temporary = allocate();
                temporaries.add(temporary);
                mineOut.add(new Contribution(temporary, target));
            }
        }
        contributions.put(node.id(), mineOut);
        temporaries.forEach(free::add);
        if (!handedOn) {
            free.add(mine);
        }
    }

    /** The network input, or a flatten of it: what a layer's input gradient would be wasted on. */
    private boolean isInputView(int id) {
        return id == 0 || kindOf(graph.node(id).op()).isView() && isInputView(graph.node(id).input());
    }

    private static OpKind<?> kindOf(Op op) {
        return OpKinds.of(op).kind();
    }

    private int allocate() {
        return free.isEmpty() ? count++ : free.pollFirst();
    }

    /** Node id to the slot holding the gradient with respect to its output. */
    public Map<Integer, Integer> gradient() {
        return gradient;
    }

    /** Node id to where it writes the gradient for each of its inputs. */
    public Map<Integer, List<Contribution>> contributions() {
        return contributions;
    }

    /** How many slots the backward pass uses. */
    public int count() {
        return count;
    }
}
