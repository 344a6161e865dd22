package dev.lamina.processor.shape;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Init;
import dev.lamina.dsl.ResidualBlock;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKinds;
import java.util.ArrayList;
import java.util.List;

/**
 * A declared {@code @Residual} stage as plain nodes: per block its convolutions and batch norms, the shortcut
 * (the block's input, or a 1x1 convolution + batch norm projecting it) and an {@link Op.Add} that ends the block.
 * Every node keeps the stage's id as its origin, so errors inside are reported on the {@code @Residual}.
 *
 * <p>A pass of its own, run first by {@link ShapeInference#infer}: a stage's layers depend on its input's shape
 * (a shortcut needs a projection only where the block changes the shape), so stages are expanded one at a time,
 * in order, each once the graph before it is shaped.
 */
public final class ResidualExpansion {
    private static final Op.Act IDENTITY = Op.Act.of(Activation.IDENTITY, Double.NaN);

    private final Node stage;
    private final Op.Residual residual;
    private final List<Node> out = new ArrayList<>();
    private int nextId;

    private ResidualExpansion(Node stage, int nextId) {
        this.stage = stage;
        this.residual = (Op.Residual) stage.op();
        this.nextId = nextId;
    }

    /**
     * {@code graph} with every {@code @Residual} stage replaced by its layers, and every reader of a stage reading
     * the stage's last add instead, shaped as {@link ShapeInference} shapes it.
     */
    public static Graph expand(Graph graph) {
        Graph current = graph;
        while (true) {
            Graph shaped = ShapeInference.shapes(current);
            List<Node> nodes = shaped.nodes();
            int at = 0;
            // a stage is this pass's subject, not a property of a kind: it finds stages by their record
            while (at < nodes.size() && !(nodes.get(at).op() instanceof Op.Residual)) {
                at++;
            }
            if (at == nodes.size()) {
                return shaped;
            }
            Node stage = nodes.get(at);
            int nextId = nodes.stream().mapToInt(Node::id).max().orElse(0) + 1;
            List<Node> layers = expand(stage, stage.input(), stage.in(), nextId);
            int last = layers.get(layers.size() - 1).id();
            List<Node> out = new ArrayList<>(nodes.subList(0, at));
            out.addAll(layers);
            for (Node later : nodes.subList(at + 1, nodes.size())) {
                out.add(later.withInput(later.input() == stage.id() ? last : later.input())
                        .withOthers(later.others().stream().map(id -> id == stage.id() ? last : id).toList()));
            }
            current = shaped.withNodes(out);
        }
    }

    /** The stage's nodes, reading node {@code from} of shape {@code in}; the last is the stage's output. */
    static List<Node> expand(Node stage, int from, Shape in, int nextId) {
        ResidualExpansion e = new ResidualExpansion(stage, nextId);
        Op.Residual r = e.residual;
        Shape current = in;
        for (int b = 0; b < r.repeat(); b++) {
            String prefix = r.repeat() == 1 ? stage.name() : stage.name() + "." + b;
            from = e.block(prefix, from, current, b == 0 ? r.stride() : 1);
            current = e.out.get(e.out.size() - 1).out();
        }
        return e.out;
    }

    /** One block; returns the id of its add. */
    private int block(String prefix, int x, Shape in, int stride) {
        Op.Act act = residual.activation();
        int width = residual.filters();
        int last;
        if (residual.isCustom()) {
            last = x;
            Shape current = in;
            for (Op.BlockLayer layer : residual.custom()) {
                Op op = sized(layer.op(), stride);
                Shape out = current == null ? null : ShapeInference.outputOf(op, current);
                last = add(Node.of(nextId++, prefix + "." + layer.name(), op, last).withShapes(current, out));
                current = out;
            }
        } else if (residual.block() == ResidualBlock.BASIC) {
            last = conv(prefix + ".conv1", x, in, width, 3, stride, 1);
            last = norm(prefix + ".bn1", last, act);
            last = conv(prefix + ".conv2", last, shapeOf(last), width, 3, 1, 1);
            last = norm(prefix + ".bn2", last, IDENTITY);
        } else {
            last = conv(prefix + ".conv1", x, in, width, 1, 1, 0);
            last = norm(prefix + ".bn1", last, act);
            last = conv(prefix + ".conv2", last, shapeOf(last), width, 3, stride, 1);
            last = norm(prefix + ".bn2", last, act);
            last = conv(prefix + ".conv3", last, shapeOf(last), residual.outChannels(), 1, 1, 0);
            last = norm(prefix + ".bn3", last, IDENTITY);
        }
        Shape main = shapeOf(last);
        int shortcut = x;
        int channels = main != null ? main.channels() : residual.outChannels();
        boolean reshapes = in == null || main == null || !in.equals(main);
        if (reshapes && residual.projection()) {
            shortcut = conv(prefix + ".shortcut.conv", x, in, channels, 1, stride, 0);
            shortcut = norm(prefix + ".shortcut.bn", shortcut, IDENTITY);
        }
        Shape other = shortcut == x ? in : shapeOf(shortcut);
        Shape sum = main != null && main.equals(other) ? main : null;
        return add(Node.of(nextId++, prefix + ".add", new Op.Add(act), last).withOthers(List.of(shortcut))
                .withShapes(main, sum));
    }

    /** A user-defined block's layer with the stage's sizes put in for {@link Op.Residual#STAGE}. */
    private Op sized(Op op, int stride) {
        return withStageSizes(OpKinds.of(op), residual.filters(), stride);
    }

    private static <T extends Op> Op withStageSizes(OpKinds.Bound<T> b, int filters, int stride) {
        return b.kind().withStageSizes(b.op(), filters, stride);
    }

    private int conv(String name, int from, Shape in, int filters, int kernel, int stride, int padding) {
        // the block's ReLU follows the batch norm: He unless the stage asks for another initialiser
        Init init = residual.init() == Init.DEFAULT ? Init.HE : residual.init();
        Op.Conv op = new Op.Conv(filters, kernel, stride, padding, 1, false, IDENTITY, init, 0.01, 1);
        return add(Node.of(nextId++, name, op, from).withShapes(in, in == null ? null : ShapeInference.outputOf(op, in)));
    }

    private int norm(String name, int from, Op.Act act) {
        Shape in = shapeOf(from);
        return add(Node.of(nextId++, name, new Op.BatchNorm(0.1, 1e-5, act), from).withShapes(in, in));
    }

    private int add(Node node) {
        out.add(node.withOrigin(stage.id()));
        return node.id();
    }

    private Shape shapeOf(int id) {
        for (Node n : out) {
            if (n.id() == id) {
                return n.out();
            }
        }
        throw new IllegalStateException("no expanded node " + id);
    }
}
