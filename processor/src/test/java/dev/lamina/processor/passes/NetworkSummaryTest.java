package dev.lamina.processor.passes;

import static dev.lamina.processor.passes.Nets.IDENTITY;
import static dev.lamina.processor.passes.Nets.RELU;
import static dev.lamina.processor.passes.Nets.conv;
import static dev.lamina.processor.passes.Nets.dense;
import static dev.lamina.processor.passes.Nets.graph;
import static dev.lamina.processor.passes.Nets.layer;
import static dev.lamina.processor.passes.Nets.maxPool;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.processor.emit.summary.NetworkSummary;
import dev.lamina.processor.emit.summary.NetworkSummary.Row;
import dev.lamina.processor.fuse.Fusion;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.MemoryPlanner;
import dev.lamina.processor.shape.ShapeInference;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary's rows: parameters from the plan, FLOPs from the kinds. */
class NetworkSummaryTest {

    private static List<Row> rows(Graph declared) {
        Graph g = Fusion.fuse(ShapeInference.infer(declared));
        return NetworkSummary.rows(g, MemoryPlanner.plan(g));
    }

    @Test
    void aPerceptron() {
        List<Row> rows = rows(graph(false, Shape.vector(4), layer(1, "h", dense(3, RELU)),
                layer(2, "drop", new Op.Dropout(0.5)), layer(3, "out", dense(2, IDENTITY))));
        // h: 2 x 4 x 3 multiply-adds, 3 biases, 3 ReLUs; the dropout 3; out: 2 x 3 x 2 + 2 biases
        assertEquals(List.of(new Row("h", "Dense", "[3]", 15, 30, 3), new Row("drop", "Dropout", "[3]", 0, 3, 3),
                new Row("out", "Dense", "[2]", 8, 14, 2)), rows);
    }

    @Test
    void aConvolutionWithAFusedPool() {
        List<Row> rows = rows(graph(true, Shape.image(1, 6, 6), layer(1, "c", conv(2, 3, 1, 0, RELU)),
                layer(2, "pool", maxPool(2, 2))));
        // 16 positions x 2 x 9 x 2, the pool's 32 values, 8 biases, 8 ReLUs; 8 pooled and 32 raw values
        assertEquals(List.of(new Row("c", "Conv+MaxPool", "[2, 2, 2]", 20, 576 + 32 + 8 + 8, 40)), rows);
    }
}
