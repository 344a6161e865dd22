package dev.lamina.processor.emit.cuda;

import dev.lamina.dsl.Loss;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import dev.lamina.processor.plan.LayerNorms;
import dev.lamina.processor.plan.MemoryPlan.TensorSlot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a network's device program ({@code Net.program}, beside the class and its {@code Net.cu}): the host side
 * of the GPU path as a list of steps that {@code dev.lamina.gpu.DeviceNetwork} replays through JCuda. Each step
 * launches one kernel of {@code Net.cu} (or clears or copies device memory) with its grid and its arguments, the
 * shapes baked in and every size that depends on the batch written as {@code a*n+b}. The program is data, not
 * code, so that a network compiled without the gpu module on its class path still carries its GPU path, and so
 * that a test without a GPU can check every launch against the kernels' signatures.
 *
 * <p>Memory, as on the CPU, channels last, the batch's rows back to back: the arena ({@code A}, the plan's
 * regions at {@code REGION * n}, then the device's own: the unfolded columns of the convolutions, each fused
 * pool's unpooled output and one unpooled gradient), the int arena of max-pool winners ({@code I}), parameters
 * ({@code P}), gradients ({@code G}), running statistics ({@code B}), a fixed work area of per-channel statistics
 * ({@code W}, floats; {@code D}, doubles), targets ({@code T}) and per-row losses ({@code L}).
 *
 * <p>Layers this program does not cover yet are listed as {@code unsupported}: the device runtime refuses such a
 * network with their names, and the network trains on the CPU.
 */
public final class DeviceProgram {
    /** Threads per block of every launch but the GEMM's own grid. */
    static final int THREADS = 256;

    private final Graph graph;
    private final MemoryPlan plan;
    private final RecurrentSteps recurrent;
    private final List<String> steps = new ArrayList<>();
    private final List<String> unsupported = new ArrayList<>();
    private final Map<Integer, Integer> unpooled = new LinkedHashMap<>();
    private int extra;
    private int indices;
    private final Map<Integer, Integer> ownWinners = new LinkedHashMap<>();
    final Map<Integer, Integer> stateGradients = new LinkedHashMap<>();
    final Map<Integer, Integer> cellGradient = new LinkedHashMap<>();
    final Map<Integer, Integer> carried = new LinkedHashMap<>();
    final Map<Integer, Integer> initialCell = new LinkedHashMap<>();
    private int columns = -1;
    private int unpooledGradient = -1;
    private int discard = -1;
    private int group = -1;
    private int work;
    private int doubles;

    public DeviceProgram(Graph graph, MemoryPlan plan) {
        this.graph = graph;
        this.plan = plan;
        this.recurrent = new RecurrentSteps(this, plan);
    }

    /** The whole program file. */
    public String text() {
        steps.clear();
        unsupported.clear();
        unpooled.clear();
        stateGradients.clear();
        cellGradient.clear();
        carried.clear();
        initialCell.clear();
        extra = plan.arenaPerSample();
        indices = plan.indicesPerSample();
        ownWinners.clear();
        work = 0;
        doubles = 0;
        columns = -1;
        unpooledGradient = -1;
        discard = -1;
        group = -1;
        layoutDeviceRegions();
        Map<Integer, int[]> normWork = new LinkedHashMap<>();
        for (Node node : graph.layers()) {
            if (node.op() instanceof Op.BatchNorm) {
                int c = node.in().channels();
                // mean, invStd, scale, shift, gradient sums (2c floats); moments (2c doubles)
                normWork.put(node.id(), new int[] {work, work + c, work + 2 * c, work + 3 * c, work + 4 * c, doubles});
                work += 6 * c;
                doubles += 2 * c;
            } else if (node.op() instanceof Op.Embedding) {
                // where the lookup leaves a token id outside the vocabulary, for the host to report
                normWork.put(node.id(), new int[] {work});
                work += 1;
            }
        }
        for (Node node : graph.layers()) {
            forward(node, normWork.get(node.id()));
        }
        loss();
        step("backward", "always", "zero", "-", "G:0", "l:" + plan.parameterCount());
        List<Node> reversed = new ArrayList<>(graph.layers());
        reversed.sort(Comparator.comparingInt((Node nd) -> graph.nodes().indexOf(nd)).reversed());
        for (Node node : reversed) {
            backward(node, normWork.get(node.id()));
        }
        StringBuilder out = new StringBuilder();
        out.append("# The device program of ").append(graph.generatedClass())
                .append(", generated by Lamina: the launches of its kernels (").append(graph.generatedClass())
                .append(".cu) for each pass.\n");
        out.append("# step: PASS WHEN ACTION GRID ARGS. WHEN: always, train, eval, or carry (training, saving the "
                + "carried states). ACTION: a kernel, or zero, copy, check (a token id out of range stops the pass).\n");
        out.append("# GRID: e:COUNT (one thread per element, ").append(THREADS).append(" a block), b:BLOCKS (")
                .append(THREADS).append(" threads each), gemm:M,N (64 x 64 tiles).\n");
        out.append("# ARGS: A:/I:/P:/G:/B:/W:/D:/T:/L: device addresses in floats (ints, doubles), N:0 the null "
                + "pointer, i: int, l: long, f: float,\n#   K:SALT the pass's dropout key + SALT, R:0 1 in training "
                + "else 0; a*n+b counts in batch rows n.\n");
        out.append("lamina-device-program 1\n");
        out.append("class ").append(graph.packageName().isEmpty() ? "" : graph.packageName() + ".")
                .append(graph.generatedClass()).append('\n');
        out.append("arena ").append(extra).append('\n');
        out.append("indices ").append(indices).append('\n');
        out.append("parameters ").append(plan.parameterCount()).append('\n');
        out.append("buffers ").append(plan.bufferCount()).append('\n');
        out.append("work ").append(work).append('\n');
        out.append("doubles ").append(doubles).append('\n');
        out.append("input ").append(plan.output().get(0)).append(' ').append(graph.node(0).out().size()).append('\n');
        Node output = graph.output();
        if (!plan.mask().isEmpty()) {
            out.append("dropout\n");
        }
        out.append("output ").append(region(output.id())).append(' ').append(output.out().size()).append('\n');
        out.append("losses ").append(lossRows()).append('\n');
        for (Map.Entry<Integer, Integer> c : carried.entrySet()) {
            int perRow = ((Op.Recurrent) graph.node(c.getKey()).op()).carriedSize();
            out.append("carried ").append(arena(c.getValue())).append(' ').append(perRow).append('\n');
        }
        for (String layer : unsupported) {
            out.append("unsupported ").append(layer).append('\n');
        }
        for (String s : steps) {
            out.append("step ").append(s).append('\n');
        }
        return out.toString();
    }

    /** The arena's device-only regions after the plan's: unfolded columns, unpooled outputs and their gradient. */
    private void layoutDeviceRegions() {
        int widestColumns = 0;
        int widestUnpooled = 0;
        int widestGroup = 0;
        for (Node node : graph.layers()) {
            if (node.op() instanceof Op.Conv1d c) {
                widestColumns = Math.max(widestColumns, node.out().steps() * c.kernel() * node.in().features());
            }
            if (node.op() instanceof Op.ConvTranspose t) {
                // the columns of the convolution it is the adjoint of: one per input position
                widestColumns = Math.max(widestColumns, node.in().spatial() * t.kernel() * t.kernel() * t.filters());
            }
            if (node.op() instanceof Op.Conv c && c.groups() > 1 && !node.hasFusedPool()) {
                int cin = node.in().channels() / c.groups();
                widestColumns = Math.max(widestColumns, node.out().spatial() * c.kernel() * c.kernel() * cin);
                widestGroup = Math.max(widestGroup, 2 * node.in().spatial() * cin
                        + node.out().spatial() * (c.filters() / c.groups()));
            }
            if (node.op() instanceof Op.Conv c && c.groups() == 1) {
                widestColumns = Math.max(widestColumns, node.ownOut().spatial() * fieldSize(node, c));
                if (node.hasFusedPool()) {
                    unpooled.put(node.id(), extra);
                    extra += node.ownOut().size();
                    widestUnpooled = Math.max(widestUnpooled, node.ownOut().size());
                }
            }
        }
        for (Node node : graph.layers()) {
            if (node.op() instanceof Op.Recurrent r) {
                // the gradient at every step's hidden state, and the one at the cell carried back a step
                int steps = node.in().steps();
                stateGradients.put(node.id(), extra);
                extra += steps * r.units();
                if (r.cell() != Op.Cell.RNN) {
                    // an LSTM's cell gradient, or the part of a GRU's state gradient that bypasses W_hh
                    cellGradient.put(node.id(), extra);
                    extra += r.units();
                }
                if (r.stateful()) {
                    // the state carried to the next batch (this batch's initial one is the plan's), and for an
                    // LSTM its initial cell in rows of their own, as the step kernel reads it
                    carried.put(node.id(), extra);
                    extra += r.carriedSize();
                    if (r.cell() == Op.Cell.LSTM) {
                        initialCell.put(node.id(), extra);
                        extra += r.units();
                    }
                }
            }
        }
        int widestNorm = graph.layers().stream().filter(nd -> nd.op() instanceof Op.LayerNorm)
                .mapToInt(nd -> nd.in().size()).max().orElse(0);
        discard = deviceRegion(widestNorm);
        group = deviceRegion(widestGroup);
        columns = deviceRegion(widestColumns);
        unpooledGradient = deviceRegion(widestUnpooled);
    }

    /** A device-only arena region of {@code floats} per sample, after those laid out so far; -1 for none. */
    private int deviceRegion(int floats) {
        if (floats == 0) {
            return -1;
        }
        int at = extra;
        extra += floats;
        return at;
    }

    // ---------------------------------------------------------------- forward

    private void forward(Node node, int[] norm) {
        Op op = node.op();
        String id = CudaEmitter.identifier(node);
        String in = arena(region(node.input()));
        String out = arena(region(node.id()));
        if (op instanceof Op.Flatten) {
            return;
        }
        boolean dropoutCovered = op instanceof Op.Dense || op instanceof Op.Conv;
        if (node.hasFusedDropout() && !dropoutCovered) {
            unsupported.add(node.name() + " (a dropout fused into it)");
            return;
        }
        if (op instanceof Op.Dense d) {
            int k = node.in().features();
            gemm("forward", "nt", gemmRows(node), d.units(), k, in, k, param(node, "weight"), k, 0, out, d.units());
            epilogue("forward", node, id, out, d.bias(), d.activation());
        } else if (op instanceof Op.Conv c && c.groups() == 1) {
            Shape own = node.ownOut();
            String raw = node.hasFusedPool() ? arena(unpooled.get(node.id())) : out;
            String cols = arena(columns);
            int field = fieldSize(node, c);
            im2col("forward", node, c, node.in().channels(), in);
            gemm("forward", "nt", lin(own.spatial(), 0), c.filters(), field, cols, field, param(node, "weight"), field,
                    0, raw, c.filters());
            epilogue("forward", node, id, raw, c.bias(), c.activation());
            if (node.hasFusedPool()) {
                Op.Pool p = node.pool().op();
                maxPool(node, p, own, node.out(), raw, out, argmax(node));
                if (node.hasFusedDropout()) {
                    // on the pooled values, as the CPU draws them
                    step("forward", "always", "lamina_dropout", "e:" + lin(node.out().size(), 0), out, out,
                            arena(plan.mask().get(node.id())), "l:" + lin(node.out().size(), 0),
                            "K:" + node.dropoutName().hashCode(), "f:" + (float) node.dropout(),
                            "f:" + (float) (1 / (1 - node.dropout())), "R:0");
                }
            }
        } else if (op instanceof Op.Pool p && p.poolKind() == PoolKind.MAX) {
            maxPool(node, p, node.in(), node.out(), in, out, argmax(node));
        } else if (op instanceof Op.Pool p && p.poolKind() == PoolKind.AVERAGE && p.padding() == 0) {
            step("forward", "always", "lamina_average_pool", "e:" + lin(node.out().size(), 0), in, "i:n",
                    "i:" + node.in().height(), "i:" + node.in().width(), "i:" + node.in().channels(),
                    "i:" + p.kernel(), "i:" + p.stride(), "i:" + node.out().height(), "i:" + node.out().width(), out);
        } else if (op instanceof Op.Concat) {
            int positions = node.out().image() ? node.out().spatial() : 1;
            int offset = 0;
            for (int part : node.inputs()) {
                Shape shape = graph.node(part).out();
                channels("forward", "lamina_place", arena(region(part)), positions, shape.channels(),
                        node.out().channels(), offset, out);
                offset += shape.channels();
            }
        } else if (op instanceof Op.Pool p && p.poolKind() == PoolKind.GLOBAL_AVERAGE) {
            step("forward", "always", "lamina_global_average", "e:" + lin(node.in().channels(), 0), in,
                    "i:" + lin(1, 0), "i:" + node.in().spatial(), "i:" + node.in().channels(), out);
        } else if (op instanceof Op.BatchNorm bn) {
            int c = node.in().channels();
            int spatial = node.in().image() ? node.in().spatial() : 1;
            String rows = "i:" + lin(spatial, 0);
            step("forward", "train", "lamina_bn_moments", "b:" + c, in, rows, "i:" + c,
                    buffer(node, "mean"), "D:" + norm[5]);
            step("forward", "train", "lamina_bn_statistics", "e:" + c, "D:" + norm[5], rows, "i:" + c,
                    "f:" + (float) bn.epsilon(), "f:" + (float) bn.momentum(), param(node, "gamma"),
                    param(node, "beta"), "W:" + norm[0], "W:" + norm[1], "W:" + norm[2], "W:" + norm[3],
                    buffer(node, "mean"), buffer(node, "var"));
            step("forward", "eval", "lamina_bn_inference", "e:" + c, "i:" + c, "f:" + (float) bn.epsilon(),
                    param(node, "gamma"), param(node, "beta"), buffer(node, "mean"),
                    buffer(node, "var"), "W:" + norm[0], "W:" + norm[1], "W:" + norm[2], "W:" + norm[3]);
            step("forward", "always", id + "_apply", "e:" + lin(node.out().size(), 0), in, out, "W:" + norm[2],
                    "W:" + norm[3], "i:" + lin(1, 0));
        } else if (op instanceof Op.Recurrent r) {
            recurrent.forward(node, r, id, in, out);
        } else if (op instanceof Op.ConvTranspose t) {
            // the adjoint of the convolution from the output's size to the input's: columns = in W, folded
            Adjoint g = Adjoint.of(node, t);
            gemm("forward", "nn", lin(g.positions(), 0), g.field(), String.valueOf(g.filters()), in, g.filters(),
                    param(node, "weight"), g.field(), 0, arena(columns), g.field());
            step("forward", "always", "lamina_col2im", "e:" + lin(node.out().size(), 0), arena(columns), "i:n",
                    "i:" + node.out().height(), "i:" + node.out().width(), "i:" + t.filters(), "i:" + t.kernel(),
                    "i:" + t.stride(), "i:" + t.padding(), "i:1", "i:" + node.in().height(), "i:" + node.in().width(),
                    out);
            epilogue("forward", node, id, out, t.bias(), t.activation());
        } else if (op instanceof Op.Conv c && c.groups() > 1 && !node.hasFusedPool()) {
            groupedForward(node, c, in, out);
            epilogue("forward", node, id, out, c.bias(), c.activation());
        } else if (op instanceof Op.Conv1d c) {
            String cols = arena(columns);
            int field = c.kernel() * node.in().features();
            int outSteps = node.out().steps();
            step("forward", "always", "lamina_im2col_1d", "e:" + lin(outSteps * field, 0), in, "i:n",
                    "i:" + node.in().steps(), "i:" + node.in().features(), "i:" + c.kernel(), "i:" + c.stride(),
                    "i:" + c.padding(), "i:" + c.dilation(), "i:" + outSteps, cols);
            gemm("forward", "nt", lin(outSteps, 0), c.filters(), field, cols, field, param(node, "weight"), field, 0,
                    out, c.filters());
            epilogue("forward", node, id, out, c.bias(), c.activation());
        } else if (op instanceof Op.Upsample u && u.pool() >= 0) {
            // each value back where the paired pool found it, zeros elsewhere
            Node pool = graph.node(u.pool());
            step("forward", "always", "zero", "-", out, "l:" + lin(node.out().size(), 0));
            step("forward", "always", "lamina_unpool", "e:" + lin(pool.out().size(), 0), in, argmax(pool),
                    "l:" + lin(pool.out().size(), 0), "i:" + pool.out().height(), "i:" + pool.out().width(),
                    "i:" + pool.out().channels(), "i:" + unpoolReach(pool), out);
        } else if (op instanceof Op.Upsample u) {
            step("forward", "always", "lamina_upsample", "e:" + lin(node.out().size(), 0), in, "i:n",
                    "i:" + node.in().height(), "i:" + node.in().width(), "i:" + node.in().channels(),
                    "i:" + u.scale(), out);
        } else if (op instanceof Op.LayerNorm ln) {
            int rows = LayerNorms.rows(node);
            step("forward", "always", "lamina_layer_norm", "b:" + lin(rows, 0), in, "i:" + lin(rows, 0),
                    "i:" + node.in().features(), "f:" + (float) ln.epsilon(), param(node, "gamma"),
                    param(node, "beta"), arena(plan.normStats().get(node.id())), out);
            if (!ln.activation().isIdentity()) {
                step("forward", "always", id + "_activation", "e:" + lin(node.out().size(), 0), out, "i:n");
            }
        } else if (op instanceof Op.ResponseNorm lrn) {
            step("forward", "always", "lamina_lrn", "e:" + lin(node.out().size(), 0), in,
                    "l:" + lin(node.in().spatial(), 0), "i:" + node.in().channels(), "i:" + lrn.size(),
                    "f:" + (float) lrn.alpha(), "f:" + (float) lrn.beta(), "f:" + (float) lrn.k(),
                    arena(plan.normStats().get(node.id())), out);
        } else if (op instanceof Op.Dropout drop) {
            step("forward", "always", "lamina_dropout", "e:" + lin(node.out().size(), 0), in, out,
                    arena(plan.mask().get(node.id())), "l:" + lin(node.out().size(), 0),
                    "K:" + node.name().hashCode(), "f:" + (float) drop.rate(), "f:" + (float) (1 / (1 - drop.rate())),
                    "R:0");
        } else if (op instanceof Op.Embedding e) {
            String bad = "W:" + norm[0];
            int tokens = ((Op.Input) graph.input().op()).tokens();
            step("forward", "always", "zero", "-", bad, "l:1");
            step("forward", "always", "lamina_embed", "e:" + lin(node.out().size(), 0), in,
                    "l:" + lin(node.in().steps(), 0), "i:" + e.dim(), "i:" + tokens, param(node, "weight"), out, bad);
            step("forward", "always", "check", "-", bad, "i:" + tokens);
        } else if (op instanceof Op.Add) {
            List<String> args = new ArrayList<>();
            for (int input : node.inputs()) {
                args.add(arena(region(input)));
            }
            args.add(out);
            args.add("i:" + lin(1, 0));
            step("forward", "always", id + "_forward", "e:" + lin(node.out().size(), 0), args.toArray(String[]::new));
        } else {
            boolean carried = op instanceof Op.Recurrent r && r.stateful();
            unsupported.add(node.name() + " (" + op.kind() + (carried ? ", stateful" : "") + ")");
        }
    }

    private void maxPool(Node node, Op.Pool p, Shape in, Shape out, String from, String to, String argmax) {
        step("forward", "always", "lamina_max_pool", "e:" + lin(out.size(), 0), from, "i:" + lin(1, 0),
                "i:" + in.height(), "i:" + in.width(), "i:" + in.channels(), "i:" + p.kernel(), "i:" + p.stride(),
                "i:" + p.padding(), "i:" + out.height(), "i:" + out.width(), to, argmax);
    }

    /** Bias, activation: the layer's generated epilogue, when it has one (the CUDA emitter's rule). */
    private void epilogue(String pass, Node node, String id, String values, boolean bias, Op.Act act) {
        if (!bias && act.isIdentity() && !node.hasFusedDropout()) {
            return;
        }
        int size = node.hasFusedPool() ? node.ownOut().size() : node.out().size();
        if (!node.hasFusedDropout() || node.hasFusedPool()) {
            step(pass, "always", id + "_epilogue", "e:" + lin(size, 0), values, bias ? param(node, "bias") : "N:0",
                    "i:n", "N:0", "l:0", "i:0");
            return;
        }
        // the CPU's masks: the pass's key salted with the dropout's field name (K:), drawn only in training (R:)
        step(pass, "always", id + "_epilogue", "e:" + lin(size, 0), values, bias ? param(node, "bias") : "N:0",
                "i:n", arena(plan.mask().get(node.id())), "K:" + node.dropoutName().hashCode(), "R:0");
    }

    private void loss() {
        Node output = graph.output();
        step("loss", "always", "loss_and_gradient", "e:" + lossRows(), arena(region(output.id())), "T:0",
                arena(delta(plan.gradient().get(output.id()))), "L:0", "i:" + lin(1, 0));
    }

    /** Rows of the loss kernel: one per sample, or one per step of a per-step softmax. */
    private String lossRows() {
        Shape output = graph.output().out();
        boolean perStep = output.sequence() && graph.loss() == Loss.SOFTMAX_CROSS_ENTROPY;
        return lin(perStep ? output.steps() : 1, 0);
    }

    // ---------------------------------------------------------------- backward

    private void backward(Node node, int[] norm) {
        Op op = node.op();
        if (unsupported.stream().anyMatch(u -> u.startsWith(node.name() + " ("))
                || !plan.gradient().containsKey(node.id())) {
            // not covered, or a view of the network input that needs no gradient
            return;
        }
        String id = CudaEmitter.identifier(node);
        List<Contribution> contributions = plan.contributions().get(node.id());
        Contribution main = contributions.get(0);
        boolean needInputGradient = !main.none();
        String delta = arena(delta(plan.gradient().get(node.id())));
        // a flatten and a dropout pass the gradient on in place, as on the CPU
        boolean inPlace = op instanceof Op.Flatten || op instanceof Op.Dropout;
        String deltaIn = !needInputGradient ? null : inPlace ? delta : arena(delta(main.slot()));
        String in = arena(region(node.input()));
        String out = arena(region(node.id()));
        if (op instanceof Op.Add add) {
            activationBackward(node, id, delta, out, add.activation());
            int mine = plan.gradient().get(node.id());
            String count = "l:" + lin(node.out().size(), 0);
            for (Contribution c : contributions) {
                if (c.none()) {
                    continue;
                }
                if (c.slot() != mine) {
                    step("backward", "always", "copy", "-", arena(delta(c.slot())), delta, count);
                }
                if (c.accumulateInto() >= 0) {
                    step("backward", "always", "lamina_accumulate", "e:" + lin(node.out().size(), 0), delta, count,
                            arena(delta(c.accumulateInto())));
                }
            }
            return;
        }
        if (op instanceof Op.Concat) {
            int positions = node.out().image() ? node.out().spatial() : 1;
            int offset = 0;
            for (int k = 0; k < node.inputs().size(); k++) {
                Shape shape = graph.node(node.inputs().get(k)).out();
                Contribution c = contributions.get(k);
                if (!c.none()) {
                    String part = arena(delta(c.slot()));
                    channels("backward", "lamina_take", delta, positions, shape.channels(), node.out().channels(),
                            offset, part);
                    if (c.accumulateInto() >= 0) {
                        step("backward", "always", "lamina_accumulate", "e:" + lin(shape.size(), 0), part,
                                "l:" + lin(shape.size(), 0), arena(delta(c.accumulateInto())));
                    }
                }
                offset += shape.channels();
            }
            return;
        }
        if (op instanceof Op.Flatten) {
            // nothing moves
        } else if (op instanceof Op.Dropout) {
            step("backward", "always", "lamina_dropout_backward", "e:" + lin(node.out().size(), 0), delta,
                    arena(plan.mask().get(node.id())), "l:" + lin(node.out().size(), 0));
        } else if (op instanceof Op.ConvTranspose t) {
            Adjoint g = Adjoint.of(node, t);
            activationBackward(node, id, delta, out, t.activation());
            if (t.bias()) {
                step("backward", "always", "lamina_column_sums", "b:" + t.filters(), delta,
                        "i:" + lin(node.out().spatial(), 0), "i:" + t.filters(), gradient(node, "bias"));
            }
            // the adjoint's roles swapped: its input is this layer's output gradient, its output gradient our input
            String cols = arena(columns);
            step("backward", "always", "lamina_im2col", "e:" + lin(g.positions() * g.field(), 0), delta, "i:n",
                    "i:" + node.out().height(), "i:" + node.out().width(), "i:" + t.filters(), "i:" + t.kernel(),
                    "i:" + t.stride(), "i:" + t.padding(), "i:1", "i:" + node.in().height(), "i:" + node.in().width(),
                    cols);
            gemm("backward", "tn", String.valueOf(g.filters()), g.field(), lin(g.positions(), 0), in, g.filters(),
                    cols, g.field(), 1, gradient(node, "weight"), g.field());
            if (needInputGradient) {
                gemm("backward", "nt", lin(g.positions(), 0), g.filters(), String.valueOf(g.field()), cols, g.field(),
                        param(node, "weight"), g.field(), 0, deltaIn, g.filters());
            }
        } else if (op instanceof Op.Conv c && c.groups() > 1) {
            activationBackward(node, id, delta, out, c.activation());
            if (c.bias()) {
                step("backward", "always", "lamina_column_sums", "b:" + c.filters(), delta,
                        "i:" + lin(node.out().spatial(), 0), "i:" + c.filters(), gradient(node, "bias"));
            }
            groupedBackward(node, c, in, delta, deltaIn);
        } else if (op instanceof Op.Conv1d c) {
            activationBackward(node, id, delta, out, c.activation());
            String cols = arena(columns);
            int field = c.kernel() * node.in().features();
            int outSteps = node.out().steps();
            if (c.bias()) {
                step("backward", "always", "lamina_column_sums", "b:" + c.filters(), delta, "i:" + lin(outSteps, 0),
                        "i:" + c.filters(), gradient(node, "bias"));
            }
            step("backward", "always", "lamina_im2col_1d", "e:" + lin(outSteps * field, 0), in, "i:n",
                    "i:" + node.in().steps(), "i:" + node.in().features(), "i:" + c.kernel(), "i:" + c.stride(),
                    "i:" + c.padding(), "i:" + c.dilation(), "i:" + outSteps, cols);
            gemm("backward", "tn", String.valueOf(c.filters()), field, lin(outSteps, 0), delta, c.filters(), cols,
                    field, 1, gradient(node, "weight"), field);
            if (needInputGradient) {
                gemm("backward", "nn", lin(outSteps, 0), field, String.valueOf(c.filters()), delta, c.filters(),
                        param(node, "weight"), field, 0, cols, field);
                step("backward", "always", "lamina_col2im_1d", "e:" + lin(node.in().size(), 0), cols, "i:n",
                        "i:" + node.in().steps(), "i:" + node.in().features(), "i:" + c.kernel(), "i:" + c.stride(),
                        "i:" + c.padding(), "i:" + c.dilation(), "i:" + outSteps, deltaIn);
            }
        } else if (op instanceof Op.Upsample u && u.pool() >= 0) {
            if (needInputGradient) {
                Node pool = graph.node(u.pool());
                step("backward", "always", "lamina_unpool_backward", "e:" + lin(pool.out().size(), 0), delta,
                        argmax(pool), "l:" + lin(pool.out().size(), 0), "i:" + pool.out().height(),
                        "i:" + pool.out().width(), "i:" + pool.out().channels(), "i:" + unpoolReach(pool), deltaIn);
            }
        } else if (op instanceof Op.Upsample u) {
            if (needInputGradient) {
                step("backward", "always", "lamina_upsample_backward", "e:" + lin(node.in().size(), 0), delta, "i:n",
                        "i:" + node.in().height(), "i:" + node.in().width(), "i:" + node.in().channels(),
                        "i:" + u.scale(), deltaIn);
            }
        } else if (op instanceof Op.LayerNorm ln) {
            int rows = LayerNorms.rows(node);
            activationBackward(node, id, delta, out, ln.activation());
            // the kernel always writes an input gradient: the columns' scratch takes it when none is needed
            step("backward", "always", "lamina_layer_norm_backward", "b:" + lin(rows, 0), delta, in,
                    "i:" + lin(rows, 0), "i:" + node.in().features(), param(node, "gamma"),
                    arena(plan.normStats().get(node.id())), needInputGradient ? deltaIn : scratchFor(node),
                    gradient(node, "gamma"), gradient(node, "beta"));
        } else if (op instanceof Op.ResponseNorm lrn) {
            if (needInputGradient) {
                step("backward", "always", "lamina_lrn_backward", "e:" + lin(node.in().size(), 0), delta, in,
                        arena(plan.normStats().get(node.id())), "l:" + lin(node.in().spatial(), 0),
                        "i:" + node.in().channels(), "i:" + lrn.size(), "f:" + (float) lrn.alpha(),
                        "f:" + (float) lrn.beta(), deltaIn);
            }
        } else if (op instanceof Op.Embedding e) {
            int tokens = ((Op.Input) graph.input().op()).tokens();
            step("backward", "always", "lamina_embed_backward", "e:" + lin(node.out().size(), 0), in,
                    "l:" + lin(node.in().steps(), 0), "i:" + e.dim(), "i:" + tokens, delta, gradient(node, "weight"));
        } else if (op instanceof Op.Recurrent r) {
            recurrent.backward(node, r, id, in, delta, deltaIn);
        } else if (op instanceof Op.Dense d) {
            int k = node.in().features();
            activationBackward(node, id, delta, out, d.activation());
            gemm("backward", "tn", String.valueOf(d.units()), k, gemmRows(node), delta, d.units(), in, k, 1,
                    gradient(node, "weight"), k);
            if (d.bias()) {
                step("backward", "always", "lamina_column_sums", "b:" + d.units(), delta, "i:" + gemmRows(node),
                        "i:" + d.units(), gradient(node, "bias"));
            }
            if (needInputGradient) {
                gemm("backward", "nn", gemmRows(node), k, String.valueOf(d.units()), delta, d.units(),
                        param(node, "weight"), k, 0, deltaIn, k);
            }
        } else if (op instanceof Op.Conv c) {
            Shape own = node.ownOut();
            String sumsGradient = delta;
            if (node.hasFusedPool()) {
                // the unpooled gradient: zero, each pooled gradient routed to its winner, then the activation's
                sumsGradient = arena(unpooledGradient);
                if (node.hasFusedDropout()) {
                    step("backward", "always", "lamina_dropout_backward", "e:" + lin(node.out().size(), 0), delta,
                            arena(plan.mask().get(node.id())), "l:" + lin(node.out().size(), 0));
                }
                step("backward", "always", "zero", "-", sumsGradient, "l:" + lin(own.size(), 0));
                step("backward", "always", "lamina_max_pool_backward", "e:" + lin(node.out().size(), 0), delta,
                        argmax(node), "l:" + lin(node.out().size(), 0), sumsGradient);
                activationBackward(node, id, sumsGradient, arena(unpooled.get(node.id())), c.activation());
            } else {
                activationBackward(node, id, delta, out, c.activation());
            }
            int field = fieldSize(node, c);
            String cols = arena(columns);
            if (c.bias()) {
                step("backward", "always", "lamina_column_sums", "b:" + c.filters(), sumsGradient,
                        "i:" + lin(own.spatial(), 0), "i:" + c.filters(), gradient(node, "bias"));
            }
            im2col("backward", node, c, node.in().channels(), in);
            gemm("backward", "tn", String.valueOf(c.filters()), field, lin(own.spatial(), 0), sumsGradient,
                    c.filters(), cols, field, 1, gradient(node, "weight"), field);
            if (needInputGradient) {
                gemm("backward", "nn", lin(own.spatial(), 0), field, String.valueOf(c.filters()), sumsGradient,
                        c.filters(), param(node, "weight"), field, 0, cols, field);
                step("backward", "always", "lamina_col2im", "e:" + lin(node.in().size(), 0), cols, "i:" + lin(1, 0),
                        "i:" + node.in().height(), "i:" + node.in().width(), "i:" + node.in().channels(),
                        "i:" + c.kernel(), "i:" + c.stride(), "i:" + c.padding(), "i:" + c.dilation(),
                        "i:" + own.height(), "i:" + own.width(), deltaIn);
            }
        } else if (op instanceof Op.Pool p && p.poolKind() == PoolKind.MAX) {
            if (needInputGradient) {
                step("backward", "always", "zero", "-", deltaIn, "l:" + lin(node.in().size(), 0));
                step("backward", "always", "lamina_max_pool_backward", "e:" + lin(node.out().size(), 0), delta,
                        argmax(node), "l:" + lin(node.out().size(), 0), deltaIn);
            }
        } else if (op instanceof Op.Pool p && p.poolKind() == PoolKind.AVERAGE) {
            if (needInputGradient) {
                step("backward", "always", "lamina_average_pool_backward", "e:" + lin(node.in().size(), 0), delta,
                        "i:n", "i:" + node.in().height(), "i:" + node.in().width(), "i:" + node.in().channels(),
                        "i:" + p.kernel(), "i:" + p.stride(), "i:" + node.out().height(), "i:" + node.out().width(),
                        deltaIn);
            }
        } else if (op instanceof Op.Pool p && p.poolKind() == PoolKind.GLOBAL_AVERAGE) {
            if (needInputGradient) {
                step("backward", "always", "lamina_global_average_backward", "e:" + lin(node.in().size(), 0), delta,
                        "i:" + lin(1, 0), "i:" + node.in().spatial(), "i:" + node.in().channels(), deltaIn);
            }
        } else if (op instanceof Op.BatchNorm bn) {
            int c = node.in().channels();
            int spatial = node.in().image() ? node.in().spatial() : 1;
            String rows = "i:" + lin(spatial, 0);
            activationBackward(node, id, delta, out, bn.activation());
            step("backward", "always", "lamina_bn_gradient_sums", "b:" + c, delta, in, rows, "i:" + c,
                    "W:" + norm[0], "W:" + norm[1], "W:" + norm[4], gradient(node, "gamma"),
                    gradient(node, "beta"));
            if (needInputGradient) {
                // through the batch's statistics in training; in inference the layer is an affine map
                step("backward", "train", "lamina_bn_backward", "e:" + lin(node.in().size(), 0), delta, in, rows,
                        "i:" + c, "W:" + norm[0], "W:" + norm[1], param(node, "gamma"), "W:" + norm[4], deltaIn);
                step("backward", "eval", "lamina_bn_backward_affine", "e:" + lin(node.in().size(), 0), delta, rows,
                        "i:" + c, "W:" + norm[1], param(node, "gamma"), deltaIn);
            }
        }
        if (needInputGradient && main.accumulateInto() >= 0) {
            // another reader of the input already wrote its gradient: add this one in
            step("backward", "always", "lamina_accumulate", "e:" + lin(node.in().size(), 0), deltaIn,
                    "l:" + lin(node.in().size(), 0), arena(delta(main.accumulateInto())));
        }
    }

    /**
     * {@code delta *= f'(u)} from the output {@code y}, when the activation is not the identity; through the mask
     * first when a dropout is fused into the layer.
     */
    private void activationBackward(Node node, String id, String delta, String y, Op.Act act) {
        if (node.hasFusedDropout() && !node.hasFusedPool()) {
            step("backward", "always", id + "_dropout_backward", "e:" + lin(node.out().size(), 0), delta, y,
                    arena(plan.mask().get(node.id())), "i:n");
            return;
        }
        if (act.isIdentity()) {
            return;
        }
        int size = node.hasFusedPool() ? node.ownOut().size() : node.out().size();
        step("backward", "always", id + "_activation_backward", "e:" + lin(size, 0), delta, y, "i:" + lin(1, 0));
    }

    // ---------------------------------------------------------------- grouped and transposed convolutions

    /** The convolution a transposed one is the adjoint of: positions, filters and field of its GEMM. */
    private record Adjoint(int positions, int filters, int field) {
        static Adjoint of(Node node, Op.ConvTranspose t) {
            return new Adjoint(node.in().spatial(), node.in().channels(), t.kernel() * t.kernel() * t.filters());
        }
    }

    /**
     * A grouped convolution one group at a time, as the CPU does it: the group's input channels gathered into a
     * region of their own, unfolded, multiplied by the group's filters, and the result placed among the output's
     * channels. The group region holds the group's input, its output, and its input gradient.
     */
    private void groupedForward(Node node, Op.Conv c, String in, String out) {
        Groups g = Groups.of(node, c);
        String groupIn = arena(group);
        String groupOut = arena(group + g.inPositions() * g.cin());
        int weight = plan.parameter(node.id(), "weight").offset();
        for (int k = 0; k < g.count(); k++) {
            channels("forward", "lamina_take", in, g.inPositions(), g.cin(), node.in().channels(), k * g.cin(),
                    groupIn);
            im2col("forward", node, c, g.cin(), groupIn);
            gemm("forward", "nt", lin(g.positions(), 0), g.fout(), g.field(), arena(columns), g.field(),
                    "P:" + (weight + k * g.fout() * g.field()), g.field(), 0, groupOut, g.fout());
            channels("forward", "lamina_place", groupOut, g.positions(), g.fout(), c.filters(), k * g.fout(), out);
        }
    }

    private void groupedBackward(Node node, Op.Conv c, String in, String delta, String deltaIn) {
        Groups g = Groups.of(node, c);
        String groupIn = arena(group);
        String groupOut = arena(group + g.inPositions() * g.cin());
        String groupDx = arena(group + g.inPositions() * g.cin() + g.positions() * g.fout());
        int weight = plan.parameter(node.id(), "weight").offset();
        for (int k = 0; k < g.count(); k++) {
            int filters = weight + k * g.fout() * g.field();
            channels("backward", "lamina_take", delta, g.positions(), g.fout(), c.filters(), k * g.fout(), groupOut);
            channels("backward", "lamina_take", in, g.inPositions(), g.cin(), node.in().channels(), k * g.cin(),
                    groupIn);
            im2col("backward", node, c, g.cin(), groupIn);
            gemm("backward", "tn", String.valueOf(g.fout()), g.field(), lin(g.positions(), 0), groupOut, g.fout(),
                    arena(columns), g.field(), 1, "G:" + filters, g.field());
            if (deltaIn != null) {
                gemm("backward", "nn", lin(g.positions(), 0), g.field(), String.valueOf(g.fout()), groupOut, g.fout(),
                        "P:" + filters, g.field(), 0, arena(columns), g.field());
                step("backward", "always", "lamina_col2im", "e:" + lin(g.inPositions() * g.cin(), 0), arena(columns),
                        "i:n", "i:" + node.in().height(), "i:" + node.in().width(), "i:" + g.cin(), "i:" + c.kernel(),
                        "i:" + c.stride(), "i:" + c.padding(), "i:" + c.dilation(), "i:" + node.out().height(),
                        "i:" + node.out().width(), groupDx);
                channels("backward", "lamina_place", groupDx, g.inPositions(), g.cin(), node.in().channels(),
                        k * g.cin(), deltaIn);
            }
        }
    }

    /** A grouped convolution's sizes per group: input channels, filters, GEMM depth; positions in and out. */
    private record Groups(int count, int cin, int fout, int field, int inPositions, int positions) {
        static Groups of(Node node, Op.Conv c) {
            int cin = node.in().channels() / c.groups();
            return new Groups(c.groups(), cin, c.filters() / c.groups(), c.kernel() * c.kernel() * cin,
                    node.in().spatial(), node.out().spatial());
        }
    }

    /**
     * Unfolds {@code channels}-channel images at {@code from} into the columns, with {@code node}'s geometry (its
     * own output's, before a fused pool).
     */
    private void im2col(String pass, Node node, Op.Conv c, int channels, String from) {
        Shape own = node.ownOut();
        int field = c.kernel() * c.kernel() * channels;
        step(pass, "always", "lamina_im2col", "e:" + lin(own.spatial() * field, 0), from, "i:n",
                "i:" + node.in().height(), "i:" + node.in().width(), "i:" + channels, "i:" + c.kernel(),
                "i:" + c.stride(), "i:" + c.padding(), "i:" + c.dilation(), "i:" + own.height(), "i:" + own.width(),
                arena(columns));
    }

    /**
     * {@code width} channels at {@code offset} of {@code total}, for every one of {@code positions} per row:
     * {@code lamina_take} copies them out of {@code from}, {@code lamina_place} into {@code to}.
     */
    private void channels(String pass, String action, String from, int positions, int width, int total, int offset,
                          String to) {
        step(pass, "always", action, "e:" + lin(positions * width, 0), from, "l:" + lin(positions, 0), "i:" + width,
                "i:" + total, "i:" + offset, to);
    }

    // ---------------------------------------------------------------- pieces

    /** One GEMM {@code C = op(A) op(B) (+ C when accumulate)}, row-major, op(A) m x k and op(B) k x n. */
    void gemm(String pass, String ops, String m, int n, int k, String a, int lda, String b, int ldb,
                      int beta, String c, int ldc) {
        gemm(pass, ops, m, n, String.valueOf(k), a, lda, b, ldb, beta, c, ldc);
    }

    void gemm(String pass, String ops, String m, int n, String k, String a, int lda, String b, int ldb,
                      int beta, String c, int ldc) {
        gemm(pass, "always", ops, m, n, k, a, lda, b, ldb, beta, c, ldc);
    }

    void gemm(String pass, String when, String ops, String m, int n, String k, String a, int lda, String b,
                      int ldb, int beta, String c, int ldc) {
        step(pass, when, "lamina_gemm_" + ops, "gemm:" + m + "," + n, "i:" + m, "i:" + n, "i:" + k, "f:1.0",
                a, "i:" + lda, b, "i:" + ldb, "f:" + (float) beta, c, "i:" + ldc);
    }

    void step(String pass, String when, String action, String grid, String... args) {
        steps.add(pass + " " + when + " " + action + " " + grid + " " + String.join(" ", args));
    }

    /** Where a layer norm's kernel writes the input gradient that nothing reads (the layer reads the input). */
    private String scratchFor(Node node) {
        return arena(discard);
    }

    /** Rows of a dense layer's GEMM: every step of every row on a sequence. */
    private static String gemmRows(Node node) {
        return node.in().sequence() ? lin(node.in().steps(), 0) : "n";
    }

    /**
     * How many window steps apart two of a max pool's windows can be and still overlap, so share a winner:
     * {@code (k - 1) / stride} (0 for windows that never overlap).
     */
    private static int unpoolReach(Node pool) {
        Op.Pool p = (Op.Pool) pool.op();
        return (p.kernel() - 1) / p.stride();
    }

    /** {@code a*n+b} in the program's form: {@code 784n}, {@code 12}, {@code 784n+12}, {@code n}. */
    static String lin(int perRow, int constant) {
        String rows = perRow == 0 ? "" : perRow == 1 ? "n" : perRow + "n";
        if (constant == 0) {
            return rows.isEmpty() ? "0" : rows;
        }
        return rows.isEmpty() ? String.valueOf(constant) : rows + "+" + constant;
    }

    static String arena(int perSample) {
        return "A:" + lin(perSample, 0);
    }

    /** A region's address {@code offset} floats into its first row: {@code A:REGIONn+offset}. */
    static String arena(int perSample, int offset) {
        return "A:" + lin(perSample, offset);
    }

    /** The arena region of a node's output, per sample, looking through flattens. */
    private int region(int nodeId) {
        Node node = graph.node(nodeId);
        while (node.op() instanceof Op.Flatten) {
            node = graph.node(node.input());
        }
        return plan.output().get(node.id());
    }

    private int delta(int slot) {
        return plan.deltaBase() + slot * plan.deltaStride();
    }

    /** A max pool's winners: the plan's region when the CPU keeps them too, else one of the device's own. */
    private String argmax(Node node) {
        Integer region = plan.argmax().get(node.id());
        if (region == null) {
            region = ownWinners.computeIfAbsent(node.id(), id -> {
                int at = indices;
                indices += node.out().size();
                return at;
            });
        }
        return "I:" + lin(region, 0);
    }

    String param(Node node, String role) {
        return "P:" + plan.parameter(node.id(), role).offset();
    }

    /** The gradient of a parameter: the same offset in the gradients. */
    String gradient(Node node, String role) {
        return "G:" + plan.parameter(node.id(), role).offset();
    }

    private String buffer(Node node, String role) {
        TensorSlot slot = plan.buffer(node.id(), role);
        return "B:" + slot.offset();
    }

    private static int fieldSize(Node node, Op.Conv c) {
        return c.kernel() * c.kernel() * node.in().channels();
    }
}
