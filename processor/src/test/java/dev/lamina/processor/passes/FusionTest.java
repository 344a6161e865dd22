package dev.lamina.processor.passes;

import static dev.lamina.processor.passes.Nets.IDENTITY;
import static dev.lamina.processor.passes.Nets.RELU;
import static dev.lamina.processor.passes.Nets.conv;
import static dev.lamina.processor.passes.Nets.dense;
import static dev.lamina.processor.passes.Nets.graph;
import static dev.lamina.processor.passes.Nets.ids;
import static dev.lamina.processor.passes.Nets.layer;
import static dev.lamina.processor.passes.Nets.maxPool;
import static dev.lamina.processor.passes.Nets.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Init;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.fuse.Fusion;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.shape.ShapeInference;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What fusion folds into the layer before, and what it leaves. */
class FusionTest {

    private static Graph fused(Node... layers) {
        return Fusion.fuse(ShapeInference.infer(graph(true, Shape.image(1, 8, 8), layers)));
    }

    @Test
    void aMaxPoolFoldsIntoTheConvolutionBeforeIt() {
        Graph g = fused(layer(1, "c", conv(2, 3, 1, 1, RELU)), layer(2, "pool", maxPool(2, 2)),
                layer(3, "c2", conv(2, 1, 1, 0, RELU)));
        assertEquals(List.of(0, 1, 3), ids(g));
        Node c = g.node(1);
        assertTrue(c.hasFusedPool());
        assertEquals("pool", c.pool().name());
        assertEquals(Shape.image(2, 8, 8), c.pool().convOut());
        assertEquals(Shape.image(2, 4, 4), c.out());
        assertEquals(Shape.image(2, 8, 8), c.ownOut());
        // its reader now reads the convolution
        assertEquals(1, g.node(3).input());
    }

    @Test
    void poolsThatDoNotFold() {
        Op.Act negativeLeaky = Op.Act.of(Activation.LEAKY_RELU, -0.5);
        Op.Conv grouped = new Op.Conv(2, 3, 1, 1, 1, true, RELU, Init.DEFAULT, 0.01, 1 + 1);
        List<Node[]> cases = List.of(
                // the activation would pick other winners
                new Node[] {layer(1, "c", conv(2, 3, 1, 1, negativeLeaky)), layer(2, "pool", maxPool(2, 2))},
                // a grouped convolution
                new Node[] {layer(1, "c", conv(2, 1, 1, 0, RELU)), layer(2, "c2", grouped),
                        layer(3, "pool", maxPool(2, 2))},
                // an average pool
                new Node[] {layer(1, "c", conv(2, 3, 1, 1, RELU)),
                        layer(2, "pool", new Op.Pool(PoolKind.AVERAGE, 2, 2, 0, false))},
                // an unpooling reads its winners
                new Node[] {layer(1, "c", conv(2, 3, 1, 1, RELU)), layer(2, "pool", maxPool(2, 2).keepingWinners()),
                        layer(3, "unpool", new Op.Upsample(2, 2))},
                // after a batch norm
                new Node[] {layer(1, "bn", new Op.BatchNorm(0.1, 1e-5, RELU)), layer(2, "pool", maxPool(2, 2))});
        for (Node[] layers : cases) {
            Graph g = fused(layers);
            assertEquals(layers.length + 1, g.nodes().size(), layers[layers.length - 1].name());
            assertTrue(g.nodes().stream().noneMatch(Node::hasFusedPool));
        }
    }

    @Test
    void aConvolutionReadByTwoLayersKeepsItsPoolSeparate() {
        Graph g = fused(layer(1, "c", conv(2, 3, 1, 1, RELU)), layer(2, "pool", maxPool(2, 2)),
                reading(3, "side", maxPool(2, 2), 1), reading(4, "joined", new Op.Concat(), 2, 3));
        assertEquals(List.of(0, 1, 2, 3, 4), ids(g));
        assertFalse(g.node(1).hasFusedPool());
    }

    @Test
    void aDropoutFoldsIntoADenseAConvolutionOrABatchNorm() {
        Graph g = Fusion.fuse(ShapeInference.infer(graph(true, Shape.vector(4),
                layer(1, "h", dense(3, RELU)), layer(2, "drop", new Op.Dropout(0.25)),
                layer(3, "out", dense(2, IDENTITY)))));
        assertEquals(List.of(0, 1, 3), ids(g));
        Node h = g.node(1);
        assertEquals(0.25, h.dropout());
        assertEquals("drop", h.dropoutName());
        assertEquals(1, g.node(3).input());

        Graph pooled = fused(layer(1, "c", conv(2, 3, 1, 1, RELU)), layer(2, "pool", maxPool(2, 2)),
                layer(3, "drop", new Op.Dropout(0.5)));
        Node c = pooled.node(1);
        assertTrue(c.hasFusedPool());
        assertTrue(c.hasFusedDropout());
        assertEquals(List.of(0, 1), ids(pooled));

        Graph norm = fused(layer(1, "bn", new Op.BatchNorm(0.1, 1e-5, RELU)), layer(2, "drop", new Op.Dropout(0.5)));
        assertTrue(norm.node(1).hasFusedDropout());
    }

    @Test
    void dropoutsThatStay() {
        // after a pool, which has no epilogue
        Graph afterPool = fused(layer(1, "pool", maxPool(2, 2)), layer(2, "drop", new Op.Dropout(0.5)));
        assertEquals(List.of(0, 1, 2), ids(afterPool));
        // a second dropout: the first took the epilogue
        Graph twice = Fusion.fuse(ShapeInference.infer(graph(true, Shape.vector(4),
                layer(1, "h", dense(3, RELU)), layer(2, "d1", new Op.Dropout(0.5)),
                layer(3, "d2", new Op.Dropout(0.5)))));
        assertEquals(List.of(0, 1, 3), ids(twice));
        assertEquals("d1", twice.node(1).dropoutName());
        // directly on the input
        Graph onInput = Fusion.fuse(ShapeInference.infer(graph(true, Shape.vector(4),
                layer(1, "d", new Op.Dropout(0.5)), layer(2, "h", dense(3, RELU)))));
        assertEquals(List.of(0, 1, 2), ids(onInput));
    }

    @Test
    void aDropoutOfRateZeroFoldsAway() {
        Graph g = Fusion.fuse(ShapeInference.infer(graph(true, Shape.vector(4),
                layer(1, "h", dense(3, RELU)), layer(2, "drop", new Op.Dropout(0)))));
        assertEquals(List.of(0, 1), ids(g));
        assertFalse(g.node(1).hasFusedDropout());
    }

    @Test
    void nothingFoldsWhenTheNetworkAsksNotTo() {
        Graph declared = ShapeInference.infer(graph(false, Shape.image(1, 8, 8),
                layer(1, "c", conv(2, 3, 1, 1, RELU)), layer(2, "pool", maxPool(2, 2)),
                layer(3, "drop", new Op.Dropout(0.5))));
        assertEquals(declared, Fusion.fuse(declared));
    }
}
