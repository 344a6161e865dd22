package dev.lamina.processor.plan;

import dev.lamina.processor.graph.Op;
import java.util.List;
import java.util.Map;

/**
 * Where everything lives. Arena offsets are per sample: the generated code multiplies them by the batch size, so
 * one plan serves every batch size and each region holds {@code batch} rows back to back. Convolutions keep no
 * columns here: they unfold a few images at a time into their worker's own scratch, forward and backward.
 *
 * @param output     node id to the region of its output (a flatten shares its input's region)
 * @param gradient   node id to the gradient slot holding the gradient with respect to its output
 * @param contributions consumer node id to where it writes the gradient for each of its inputs
 * @param gradientSlots how many gradient slots there are, each {@code deltaStride} floats per sample from
 *                   {@code deltaBase}; a worker's rows of every slot are spaced by {@code deltaStride}
 * @param mask       node id to its dropout mask region
 * @param argmax     max-pool node id (or the id of a convolution with a fused pool) to its region of the int
 *                   index arena
 * @param sums       id of a convolution with a fused max pool to the region of its raw, unpooled sums; the
 *                   backward pass reuses it for their gradient
 * @param normStats  layer-norm node id to its region of per-row means and inverse deviations; local response
 *                   norm node id to its region of denominator bases
 * @param grouped    grouped convolution node id to its working region: one group's input channels, its
 *                   output, and its input gradient, one after the other
 * @param recurrent  recurrent node id to its per-step regions
 * @param parameters every trainable tensor, in flat-array order
 * @param buffers    every running statistic, in flat-array order
 * @param toInput    the gradient slots of the backward pass that also gives the gradient with respect to the
 *                   network input; null when the input is token ids. {@code gradientSlots} covers both plans.
 */
public record MemoryPlan(Map<Integer, Integer> output, Map<Integer, Integer> gradient,
                         Map<Integer, List<Contribution>> contributions, int gradientSlots, int deltaBase,
                         int deltaStride, Map<Integer, Integer> mask,
                         Map<Integer, Integer> argmax, Map<Integer, Integer> sums,
                         Map<Integer, Integer> normStats, Map<Integer, Integer> grouped,
                         Map<Integer, RecurrentRegions> recurrent,
                         int arenaPerSample, int indicesPerSample, List<TensorSlot> parameters,
                         List<TensorSlot> buffers, ToInput toInput) {

    /**
     * The gradient slots of the backward pass to the input: as {@link MemoryPlan#gradient()} and
     * {@link MemoryPlan#contributions()}, with the input's gradient (node 0) in slot {@code gradient.get(0)}.
     */
    public record ToInput(Map<Integer, Integer> gradient, Map<Integer, List<Contribution>> contributions) {
        /** The slot that holds the gradient with respect to the network input when the pass ends. */
        public int inputSlot() {
            return gradient.get(0);
        }
    }

    /**
     * A recurrent layer's regions, per sample, each {@code [steps, ...]}: its gates (activations, then their
     * gradients), its per-step state ({@code -1} when it has none: an LSTM's cells, a GRU's recurrent
     * projections) and its hidden states ({@code hidden} is the output region when the layer returns sequences);
     * {@code initial}, for a stateful layer, the state each row starts the batch from ({@code -1} otherwise).
     */
    public record RecurrentRegions(int gates, int state, int hidden, int initial) {
        /** Floats per step of the per-step state. */
        public static int stateSize(Op.Recurrent layer) {
            return switch (layer.cell()) {
                case LSTM -> layer.units();
                case GRU -> 3 * layer.units();
                case RNN -> 0;
            };
        }

        /** The state region's name in generated code. */
        public static String stateName(Op.Recurrent layer) {
            return layer.cell() == Op.Cell.LSTM ? "CELLS" : "PROJECTIONS";
        }
    }

    /**
     * Where a layer puts the gradient for one of its inputs: it writes it to gradient slot {@code slot} (none
     * when -1: the network input needs no gradient), and then, when {@code accumulateInto >= 0}, adds that slot
     * into slot {@code accumulateInto}, the input's gradient, which another reader of the input already wrote.
     */
    public record Contribution(int slot, int accumulateInto) {
        public static final Contribution NONE = new Contribution(-1, -1);

        public boolean none() {
            return slot < 0;
        }
    }

    /**
     * A tensor's place in a flat array, and how it is initialised: from {@code N(0, initStd)} (weights; other
     * kinds start at their constant), or with {@code uniform} from {@code U(-initStd, initStd)} whatever its kind.
     */
    public record TensorSlot(String name, String kind, int[] shape, int offset, double initStd, int node,
                             String role, boolean uniform) {
        public TensorSlot(String name, String kind, int[] shape, int offset, double initStd, int node, String role) {
            this(name, kind, shape, offset, initStd, node, role, false);
        }

        public int length() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    public int parameterCount() {
        return parameters.stream().mapToInt(TensorSlot::length).sum();
    }

    public int bufferCount() {
        return buffers.stream().mapToInt(TensorSlot::length).sum();
    }

    public TensorSlot parameter(int node, String role) {
        return find(parameters, node, role);
    }

    public TensorSlot buffer(int node, String role) {
        return find(buffers, node, role);
    }

    private static TensorSlot find(List<TensorSlot> slots, int node, String role) {
        return slots.stream().filter(s -> s.node() == node && s.role().equals(role)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + role + " for node " + node));
    }
}
