package dev.lamina.processor.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Loss;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which batch norms a residual add applies, decided on a hand-built graph. */
class NormIntoAddTest {
    private static final Shape IMAGE = Shape.image(8, 4, 4);
    private static final Op.Act IDENTITY = Op.Act.of(Activation.IDENTITY, Double.NaN);

    private static Node node(int id, Op op, int input, List<Integer> others) {
        return Node.of(id, "n" + id, op, input).withShapes(IMAGE, IMAGE).withOthers(others);
    }

    private static Graph graph(List<Node> nodes) {
        return new Graph("demo", "demo.Net", "NetNet", Loss.MEAN_SQUARED_ERROR, 0, true, nodes, List.of());
    }

    @Test
    void anAddAppliesTheIdentityNormItAloneReads() {
        Graph graph = graph(List.of(
                node(0, new Op.Input(0), -1, List.of()),
                node(1, new Op.BatchNorm(0.1, 1e-5, IDENTITY), 0, List.of()),
                node(2, new Op.Add(IDENTITY), 1, List.of(0)),
                // an activation of its own runs between the transform and the sum: not folded
                node(3, new Op.BatchNorm(0.1, 1e-5, Op.Act.of(Activation.RELU, Double.NaN)), 2, List.of()),
                node(4, new Op.Add(IDENTITY), 3, List.of(2)),
                // read by the add and by another layer: its output is needed
                node(5, new Op.BatchNorm(0.1, 1e-5, IDENTITY), 4, List.of()),
                node(6, new Op.Add(IDENTITY), 5, List.of(4)),
                node(7, new Op.Add(IDENTITY), 6, List.of(5)),
                // read by something other than an add
                node(8, new Op.BatchNorm(0.1, 1e-5, IDENTITY), 7, List.of()),
                node(9, new Op.Dropout(0.5), 8, List.of())));
        Graph rewritten = NormIntoAdd.rewrite(graph);
        assertEquals(2, rewritten.node(1).appliedBy());
        assertEquals(-1, rewritten.node(3).appliedBy());
        assertEquals(-1, rewritten.node(5).appliedBy());
        assertEquals(-1, rewritten.node(8).appliedBy());
        assertEquals(-1, rewritten.node(2).appliedBy());
    }
}
