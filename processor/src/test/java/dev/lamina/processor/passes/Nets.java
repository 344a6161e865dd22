package dev.lamina.processor.passes;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Init;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/** Hand-built graphs for the pass tests: nodes as the reader makes them, before shape inference. */
final class Nets {
    static final Op.Act IDENTITY = Op.Act.of(Activation.IDENTITY, Double.NaN);
    static final Op.Act RELU = Op.Act.of(Activation.RELU, Double.NaN);

    private Nets() {
    }

    /** A network reading {@code input}; the layers' ids must follow on from 1, as the reader numbers them. */
    static Graph graph(boolean fuse, Shape input, Node... layers) {
        return graph(fuse, 0, input, layers);
    }

    static Graph graph(boolean fuse, int tokens, Shape input, Node... layers) {
        List<Node> nodes = new ArrayList<>();
        nodes.add(Node.of(0, "input", new Op.Input(tokens), -1).withShapes(null, input));
        nodes.addAll(List.of(layers));
        return new Graph("nets", "nets.UserNet", "Net", Loss.SOFTMAX_CROSS_ENTROPY, 0, fuse, nodes,
                nodes.subList(1, nodes.size()).stream().map(Node::name).toList());
    }

    static Node layer(int id, String name, Op op) {
        return Node.of(id, name, op, id - 1);
    }

    static Node reading(int id, String name, Op op, int input, Integer... others) {
        return Node.of(id, name, op, input).withOthers(List.of(others));
    }

    static Op.Dense dense(int units, Op.Act act) {
        return new Op.Dense(units, act, true, Init.DEFAULT, 0.01);
    }

    static Op.Conv conv(int filters, int kernel, int stride, int padding, Op.Act act) {
        return new Op.Conv(filters, kernel, stride, padding, 1, true, act, Init.DEFAULT, 0.01, 1);
    }

    static Op.Pool maxPool(int kernel, int stride) {
        return new Op.Pool(PoolKind.MAX, kernel, stride, 0, false);
    }

    /** The nodes' ids, in graph order. */
    static List<Integer> ids(Graph graph) {
        return graph.nodes().stream().map(Node::id).toList();
    }

    static Node named(Graph graph, String name) {
        return graph.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name + " in " + graph.nodes()));
    }
}
