package dev.lamina.processor.plan;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Init;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.MemoryPlan.TensorSlot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out parameters and the activation arena from liveness. In training every forward output (and each mask
 * and normalised value) is read again by the backward pass, so each gets its own region; gradients with respect to
 * activations live only from one layer's backward step to the next, so two ping-pong regions serve them all, and
 * dropout and flatten work in place. A convolution with a fused max pool keeps its raw sums in a region of their
 * own; the backward pass overwrites them with their gradient. Convolution columns are not planned here: they
 * live in worker scratch.
 */
public final class MemoryPlanner {
    private MemoryPlanner() {
    }

    public static MemoryPlan plan(Graph graph) {
        Map<Integer, Integer> output = new HashMap<>();
        Map<Integer, Integer> mask = new HashMap<>();
        Map<Integer, Integer> argmax = new HashMap<>();
        Map<Integer, Integer> sums = new HashMap<>();
        Map<Integer, Integer> normStats = new HashMap<>();
        Map<Integer, Integer> grouped = new HashMap<>();
        Map<Integer, MemoryPlan.RecurrentRegions> recurrent = new HashMap<>();
        List<TensorSlot> parameters = new ArrayList<>();
        List<TensorSlot> buffers = new ArrayList<>();
        int arena = 0;
        int indices = 0;
        int params = 0;
        int stats = 0;
        int largest = 0;

        Node input = graph.input();
        output.put(input.id(), arena);
        arena += input.out().size();
        largest = input.out().size();
        for (Node node : graph.layers()) {
            Op op = node.op();
            int outSize = node.out().size();
            largest = Math.max(largest, outSize);
            if (op instanceof Op.Flatten) {
                output.put(node.id(), output.get(node.input()));
                continue;
            }
            output.put(node.id(), arena);
            arena += outSize;
            if (node.hasFusedDropout() || op instanceof Op.Dropout) {
                mask.put(node.id(), arena);
                arena += outSize;
            }
            if (op instanceof Op.Dense d) {
                // on a sequence the same weights apply at every step: one step's features feed each GEMM row
                int in = node.in().sequence() ? node.in().features() : node.in().size();
                parameters.add(new TensorSlot(node.name() + ".weight", "WEIGHT", new int[] {d.units(), in}, params,
                        initStd(d.init(), d.initStd(), d.activation().function(), in, d.units()), node.id(),
                        "weight", d.init() == Init.UNIFORM_FAN_IN));
                params += d.units() * in;
                if (d.bias()) {
                    parameters.add(bias(node, d.units(), params, d.init(), in));
                    params += d.units();
                }
            } else if (op instanceof Op.Conv c) {
                int cin = node.in().channels() / c.groups();
                int k = c.kernel();
                parameters.add(new TensorSlot(node.name() + ".weight", "WEIGHT", new int[] {c.filters(), k, k, cin},
                        params, initStd(c.init(), c.initStd(), c.activation().function(), k * k * cin,
                        k * k * c.filters()), node.id(), "weight", c.init() == Init.UNIFORM_FAN_IN));
                params += c.filters() * k * k * cin;
                if (c.bias()) {
                    parameters.add(bias(node, c.filters(), params, c.init(), k * k * cin));
                    params += c.filters();
                }
                if (c.groups() > 1) {
                    // one group's input channels, output and input gradient at a time, contiguous
                    int groupIn = node.in().spatial() * cin;
                    grouped.put(node.id(), arena);
                    arena += 2 * groupIn + node.out().spatial() * (c.filters() / c.groups());
                }
            } else if (op instanceof Op.Conv1d c) {
                int features = node.in().features();
                int k = c.kernel();
                parameters.add(new TensorSlot(node.name() + ".weight", "WEIGHT", new int[] {c.filters(), k, features},
                        params, initStd(c.init(), c.initStd(), c.activation().function(), k * features,
                        k * c.filters()), node.id(), "weight", c.init() == Init.UNIFORM_FAN_IN));
                params += c.filters() * k * features;
                if (c.bias()) {
                    parameters.add(bias(node, c.filters(), params, c.init(), k * features));
                    params += c.filters();
                }
            } else if (op instanceof Op.ConvTranspose t) {
                int cin = node.in().channels();
                int k = t.kernel();
                parameters.add(new TensorSlot(node.name() + ".weight", "WEIGHT", new int[] {cin, k, k, t.filters()},
                        params, initStd(t.init(), t.initStd(), t.activation().function(), k * k * cin,
                        k * k * t.filters()), node.id(), "weight", t.init() == Init.UNIFORM_FAN_IN));
                params += cin * k * k * t.filters();
                if (t.bias()) {
                    parameters.add(bias(node, t.filters(), params, t.init(), k * k * cin));
                    params += t.filters();
                }
            } else if (op instanceof Op.ResponseNorm) {
                // the denominators' bases, for the backward pass
                normStats.put(node.id(), arena);
                arena += outSize;
            } else if (op instanceof Op.LayerNorm) {
                int features = node.in().features();
                parameters.add(new TensorSlot(node.name() + ".weight", "SCALE", new int[] {features}, params, 0,
                        node.id(), "gamma"));
                params += features;
                parameters.add(new TensorSlot(node.name() + ".bias", "SHIFT", new int[] {features}, params, 0,
                        node.id(), "beta"));
                params += features;
                // each row's mean and 1/sqrt(var + eps), for the backward pass
                normStats.put(node.id(), arena);
                arena += 2 * LayerNorms.rows(node);
            } else if (op instanceof Op.Embedding e) {
                int tokens = ((Op.Input) graph.input().op()).tokens();
                // N(0, 1), as PyTorch's nn.Embedding
                parameters.add(new TensorSlot(node.name() + ".weight", "WEIGHT", new int[] {tokens, e.dim()}, params,
                        1.0, node.id(), "weight"));
                params += tokens * e.dim();
            } else if (op instanceof Op.Recurrent l) {
                int features = node.in().features();
                int gates = l.gates() * l.units();
                // PyTorch's U(-1/sqrt(H), 1/sqrt(H)) has this standard deviation; biases start at zero
                double std = 1 / Math.sqrt(3.0 * l.units());
                parameters.add(new TensorSlot(node.name() + ".weight_ih", "WEIGHT", new int[] {gates, features},
                        params, std, node.id(), "weight"));
                params += gates * features;
                parameters.add(new TensorSlot(node.name() + ".weight_hh", "WEIGHT", new int[] {gates, l.units()},
                        params, std, node.id(), "recurrent weight"));
                params += gates * l.units();
                parameters.add(new TensorSlot(node.name() + ".bias_ih", "BIAS", new int[] {gates}, params, 0,
                        node.id(), "bias"));
                params += gates;
                parameters.add(new TensorSlot(node.name() + ".bias_hh", "BIAS", new int[] {gates}, params, 0,
                        node.id(), "recurrent bias"));
                params += gates;
                if (l.peephole()) {
                    parameters.add(new TensorSlot(node.name() + ".weight_peephole", "WEIGHT",
                            new int[] {l.peepholes(), l.units()}, params, std, node.id(), "peephole"));
                    params += l.peepholes() * l.units();
                }
                int steps = node.in().steps();
                int gateRegion = arena;
                arena += steps * gates;
                int stateRegion = -1;
                int stateSize = MemoryPlan.RecurrentRegions.stateSize(l);
                if (stateSize > 0) {
                    stateRegion = arena;
                    arena += steps * stateSize;
                }
                int hiddenRegion = output.get(node.id());
                if (!l.sequences()) {
                    hiddenRegion = arena;
                    arena += steps * l.units();
                }
                int initialRegion = -1;
                if (l.stateful()) {
                    initialRegion = arena;
                    arena += l.carriedSize();
                }
                recurrent.put(node.id(), new MemoryPlan.RecurrentRegions(gateRegion, stateRegion, hiddenRegion,
                        initialRegion));
            } else if (op instanceof Op.BatchNorm) {
                int ch = node.in().channels();
                parameters.add(new TensorSlot(node.name() + ".weight", "SCALE", new int[] {ch}, params, 0,
                        node.id(), "gamma"));
                params += ch;
                parameters.add(new TensorSlot(node.name() + ".bias", "SHIFT", new int[] {ch}, params, 0,
                        node.id(), "beta"));
                params += ch;
                buffers.add(new TensorSlot(node.name() + ".running_mean", "STATISTIC", new int[] {ch}, stats, 0,
                        node.id(), "mean"));
                stats += ch;
                buffers.add(new TensorSlot(node.name() + ".running_var", "STATISTIC", new int[] {ch}, stats, 0,
                        node.id(), "var"));
                stats += ch;
            } else if (op instanceof Op.Pool p && p.recordsWinners()) {
                argmax.put(node.id(), indices);
                indices += outSize;
            }
            if (node.hasFusedPool()) {
                sums.put(node.id(), arena);
                arena += WideRows.sumsSize(node);
                if (node.pool().op().recordsWinners()) {
                    argmax.put(node.id(), indices);
                    indices += outSize;
                }
            }
        }
        GradientSlots slots = GradientSlots.plan(graph);
        int deltaBase = arena;
        arena += slots.count() * largest;
        return new MemoryPlan(output, slots.gradient(), slots.contributions(), slots.count(), deltaBase, largest,
                mask, argmax, sums, normStats, grouped, recurrent, arena, indices, parameters, buffers);
    }

    /** A layer's bias: zeros, or with {@link Init#UNIFORM_FAN_IN} drawn as its weights are. */
    private static TensorSlot bias(Node node, int units, int offset, Init init, int fanIn) {
        boolean uniform = init == Init.UNIFORM_FAN_IN;
        return new TensorSlot(node.name() + ".bias", "BIAS", new int[] {units}, offset,
                uniform ? 1 / Math.sqrt(fanIn) : 0, node.id(), "bias", uniform);
    }

    /**
     * The standard deviation of the Gaussian a weight is drawn from (0 for zeros), or for {@link
     * Init#UNIFORM_FAN_IN} the uniform distribution's bound.
     */
    static double initStd(Init init, double std, Activation activation, int fanIn, int fanOut) {
        Init resolved = init != Init.DEFAULT ? init : switch (activation) {
            case RELU, LEAKY_RELU, ELU, SELU, RELU6 -> Init.HE;
            default -> Init.XAVIER;
        };
        return switch (resolved) {
            case HE -> Math.sqrt(2.0 / fanIn);
            case XAVIER -> Math.sqrt(2.0 / (fanIn + fanOut));
            case GAUSSIAN -> std;
            case ZEROS -> 0;
            case UNIFORM_FAN_IN -> 1 / Math.sqrt(fanIn);
            case DEFAULT -> throw new AssertionError();
        };
    }
}
