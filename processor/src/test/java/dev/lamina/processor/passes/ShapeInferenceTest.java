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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Init;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.shape.ShapeInference;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shape inference on hand-built graphs: one rule per kind family, the implicit flatten. */
class ShapeInferenceTest {

    @Test
    void convolutionPoolingAndTheImplicitFlattenBeforeADense() {
        Graph g = ShapeInference.infer(graph(false, Shape.image(1, 28, 28),
                layer(1, "conv", conv(6, 5, 1, 0, RELU)),
                layer(2, "pool", maxPool(2, 2)),
                layer(3, "fc", dense(10, IDENTITY))));
        // the flatten gets the next free id and stands before the dense, which now reads it
        assertEquals(List.of(0, 1, 2, 4, 3), ids(g));
        assertEquals(Shape.image(6, 24, 24), g.node(1).out());
        assertEquals(Shape.image(6, 12, 12), g.node(2).out());
        Node flatten = g.node(4);
        assertEquals("fc_flatten", flatten.name());
        assertEquals(new Op.Flatten(true), flatten.op());
        assertEquals(2, flatten.input());
        assertEquals(3, flatten.origin(), "its errors are the dense's");
        assertEquals(Shape.vector(864), flatten.out());
        assertEquals(4, g.node(3).input());
        assertEquals(Shape.vector(864), g.node(3).in());
        assertEquals(Shape.vector(10), g.node(3).out());
    }

    @Test
    void convolutionArithmetic() {
        Shape in = Shape.image(3, 32, 32);
        // (32 + 2 - 3) / 2 + 1 = 16
        assertEquals(Shape.image(8, 16, 16), ShapeInference.outputOf(conv(8, 3, 2, 1, RELU), in));
        // dilation 2 spreads a 3-tap kernel over 5 positions: 32 - 5 + 1 = 28
        Op.Conv dilated = new Op.Conv(8, 3, 1, 0, 2, true, RELU, Init.DEFAULT, 0.01, 1);
        assertEquals(Shape.image(8, 28, 28), ShapeInference.outputOf(dilated, in));
        // 3 channels do not split into 2 groups; a kernel larger than its input; a vector input
        Op.Conv grouped = new Op.Conv(8, 3, 1, 0, 1, true, RELU, Init.DEFAULT, 0.01, 2);
        assertNull(ShapeInference.outputOf(grouped, in));
        assertNull(ShapeInference.outputOf(conv(2, 5, 1, 0, RELU), Shape.image(1, 3, 3)));
        assertNull(ShapeInference.outputOf(conv(2, 1, 1, 0, RELU), Shape.vector(9)));
        // (7 - 1) 2 - 2 + 4 + 0 = 14
        Op.ConvTranspose up = new Op.ConvTranspose(5, 4, 2, 1, 0, true, RELU, Init.DEFAULT, 0.01);
        assertEquals(Shape.image(5, 14, 14), ShapeInference.outputOf(up, Shape.image(4, 7, 7)));
    }

    @Test
    void poolingAndUpsampling() {
        Shape in = Shape.image(8, 5, 5);
        assertEquals(Shape.image(8, 1, 1),
                ShapeInference.outputOf(new Op.Pool(PoolKind.GLOBAL_AVERAGE, 1, 1, 0, false), in));
        // (5 + 2 - 3) / 2 + 1 = 3
        assertEquals(Shape.image(8, 3, 3),
                ShapeInference.outputOf(new Op.Pool(PoolKind.AVERAGE, 3, 2, 1, false), in));
        assertEquals(Shape.image(8, 15, 15), ShapeInference.outputOf(new Op.Upsample(3, -1), in));
        assertNull(ShapeInference.outputOf(new Op.Upsample(2, -1), Shape.vector(4)));
    }

    @Test
    void maxUnpoolingReturnsToItsPoolsInputShape() {
        Graph g = ShapeInference.infer(graph(false, Shape.image(1, 4, 4),
                layer(1, "pool", maxPool(2, 2).keepingWinners()),
                layer(2, "unpool", new Op.Upsample(2, 1))));
        assertEquals(Shape.image(1, 2, 2), g.node(1).out());
        assertEquals(Shape.image(1, 4, 4), g.node(2).out());
        // an input that is not the pool's output cannot be unpooled by it
        Graph wrong = ShapeInference.infer(graph(false, Shape.image(1, 4, 4),
                layer(1, "pool", maxPool(2, 2).keepingWinners()),
                layer(2, "conv", conv(1, 1, 1, 0, RELU)),
                layer(3, "conv2", conv(2, 1, 1, 0, RELU)),
                layer(4, "unpool", new Op.Upsample(2, 1))));
        assertNull(wrong.node(4).out());
    }

    @Test
    void sequenceLayers() {
        Graph g = ShapeInference.infer(graph(false, Shape.sequence(10, 8),
                layer(1, "perStep", dense(4, RELU)),
                layer(2, "conv1d", new Op.Conv1d(16, 3, 1, 0, 1, true, RELU, Init.DEFAULT, 0.01)),
                layer(3, "lstm", new Op.Recurrent(Op.Cell.LSTM, 32, false, false, false, false))));
        // a dense applies at every step; no flatten
        assertEquals(List.of(0, 1, 2, 3), ids(g));
        assertEquals(Shape.sequence(10, 4), g.node(1).out());
        assertEquals(Shape.sequence(8, 16), g.node(2).out());
        assertEquals(Shape.vector(32), g.node(3).out());

        Graph tokens = ShapeInference.infer(graph(false, 100, Shape.sequence(5, 1),
                layer(1, "embed", new Op.Embedding(16)),
                layer(2, "gru", new Op.Recurrent(Op.Cell.GRU, 6, true, false, false, false))));
        assertEquals(Shape.sequence(5, 16), tokens.node(1).out());
        assertEquals(Shape.sequence(5, 6), tokens.node(2).out());
        // a recurrent layer needs a sequence, an embedding token ids
        assertNull(ShapeInference.outputOf(new Op.Recurrent(Op.Cell.RNN, 4, false, false, false, false),
                Shape.vector(4)));
        assertNull(ShapeInference.outputOf(new Op.Embedding(4), Shape.sequence(5, 2)));
    }

    @Test
    void shapePreservingLayers() {
        Shape image = Shape.image(3, 4, 4);
        assertEquals(image, ShapeInference.outputOf(new Op.BatchNorm(0.1, 1e-5, RELU), image));
        assertEquals(image, ShapeInference.outputOf(new Op.LayerNorm(1e-5, RELU), image));
        assertEquals(image, ShapeInference.outputOf(new Op.Dropout(0.5), image));
        assertEquals(image, ShapeInference.outputOf(new Op.ResponseNorm(5, 1e-4, 0.75, 2), image));
        assertNull(ShapeInference.outputOf(new Op.ResponseNorm(5, 1e-4, 0.75, 2), Shape.vector(3)));
        assertEquals(Shape.vector(48), ShapeInference.outputOf(new Op.Flatten(false), image));
    }

    @Test
    void concatenationJoinsChannelsOrFeatures() {
        Graph vectors = ShapeInference.infer(graph(false, Shape.vector(4),
                layer(1, "a", dense(3, RELU)),
                reading(2, "b", dense(5, RELU), 0),
                reading(3, "joined", new Op.Concat(), 1, 2)));
        assertEquals(Shape.vector(8), vectors.node(3).out());

        Graph images = ShapeInference.infer(graph(false, Shape.image(1, 4, 4),
                layer(1, "a", conv(2, 1, 1, 0, RELU)),
                reading(2, "b", conv(3, 1, 1, 0, RELU), 0),
                reading(3, "joined", new Op.Concat(), 1, 2),
                reading(4, "shrunk", conv(3, 3, 1, 0, RELU), 0),
                reading(5, "mismatch", new Op.Concat(), 1, 4),
                layer(6, "after", conv(1, 1, 1, 0, RELU))));
        assertEquals(Shape.image(5, 4, 4), images.node(3).out());
        // 4x4 and 2x2 do not join, and nothing after a failed layer has a shape
        assertNull(images.node(5).out());
        assertNull(images.node(6).in());
        assertNull(images.node(6).out());
    }

    @Test
    void aBasicStageExpandsIntoBlocksAndItsReadersReadTheLastAdd() {
        Op.Residual stage = new Op.Residual(dev.lamina.dsl.ResidualBlock.BASIC, 16, 1, 2, true, RELU, Init.DEFAULT,
                List.of());
        Graph g = ShapeInference.infer(graph(false, Shape.image(16, 8, 8),
                layer(1, "stage", stage),
                layer(2, "fc", dense(10, IDENTITY))));
        // two blocks of conv, bn, conv, bn, add (ids from 3), no projection (the shape is kept), then the flatten
        assertEquals(List.of(0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 2), ids(g));
        assertEquals(List.of("stage.0.conv1", "stage.0.bn1", "stage.0.conv2", "stage.0.bn2", "stage.0.add",
                "stage.1.conv1", "stage.1.bn1", "stage.1.conv2", "stage.1.bn2", "stage.1.add"),
                g.nodes().subList(1, 11).stream().map(Node::name).toList());
        for (Node n : g.nodes().subList(1, 11)) {
            assertEquals(1, n.origin(), n.name() + " reports on the stage");
            assertEquals(Shape.image(16, 8, 8), n.out(), n.name());
        }
        Op.Conv conv1 = (Op.Conv) g.node(3).op();
        assertEquals(new Op.Conv(16, 3, 1, 1, 1, false, IDENTITY, Init.HE, 0.01, 1), conv1);
        assertEquals(RELU, ((Op.BatchNorm) g.node(4).op()).activation());
        assertEquals(IDENTITY, ((Op.BatchNorm) g.node(6).op()).activation());
        // the first add's shortcut is the stage's input, the second's the first add
        assertEquals(6, g.node(7).input());
        assertEquals(List.of(0), g.node(7).others());
        assertEquals(List.of(7), g.node(12).others());
        Node flatten = g.node(13);
        assertEquals(12, flatten.input());
        assertEquals(Shape.vector(1024), flatten.out());
        assertEquals(13, g.node(2).input());
        assertEquals(Shape.vector(10), g.node(2).out());
    }

    @Test
    void aStrideProjectsTheShortcut() {
        Op.Residual stage = new Op.Residual(dev.lamina.dsl.ResidualBlock.BASIC, 32, 2, 1, true, RELU, Init.DEFAULT,
                List.of());
        Graph g = ShapeInference.infer(graph(false, Shape.image(16, 8, 8), layer(1, "res", stage)));
        assertEquals(List.of("input", "res.conv1", "res.bn1", "res.conv2", "res.bn2", "res.shortcut.conv",
                "res.shortcut.bn", "res.add"), g.nodes().stream().map(Node::name).toList());
        Node add = Nets.named(g, "res.add");
        Node projection = Nets.named(g, "res.shortcut.conv");
        // (8 + 2 - 3) / 2 + 1 = 4 on the main path; (8 - 1) / 2 + 1 = 4 on the 1x1 projection
        assertEquals(Shape.image(32, 4, 4), Nets.named(g, "res.conv1").out());
        assertEquals(new Op.Conv(32, 1, 2, 0, 1, false, IDENTITY, Init.HE, 0.01, 1), projection.op());
        assertEquals(0, projection.input());
        assertEquals(List.of(Nets.named(g, "res.shortcut.bn").id()), add.others());
        assertEquals(Shape.image(32, 4, 4), add.out());
        assertInstanceOf(Op.Add.class, g.output().op());
    }

    @Test
    void withoutProjectionAReshapingBlockHasNoShape() {
        Op.Residual stage = new Op.Residual(dev.lamina.dsl.ResidualBlock.BASIC, 32, 2, 1, false, RELU, Init.DEFAULT,
                List.of());
        Graph g = ShapeInference.infer(graph(false, Shape.image(16, 8, 8), layer(1, "res", stage),
                layer(2, "after", conv(4, 1, 1, 0, RELU))));
        Node add = Nets.named(g, "res.add");
        assertEquals(List.of(0), add.others());
        assertEquals(Shape.image(32, 4, 4), add.in());
        assertNull(add.out());
        assertNull(g.node(2).in());
    }

    @Test
    void bottleneckAndTwoStagesInARow() {
        Op.Residual first = new Op.Residual(dev.lamina.dsl.ResidualBlock.BOTTLENECK, 4, 1, 1, true, RELU,
                Init.XAVIER, List.of());
        Op.Residual second = new Op.Residual(dev.lamina.dsl.ResidualBlock.BASIC, 16, 1, 1, true, RELU,
                Init.DEFAULT, List.of());
        Graph g = ShapeInference.infer(graph(false, Shape.image(16, 8, 8), layer(1, "a", first),
                layer(2, "b", second)));
        // bottleneck: 1x1 to 4 channels, 3x3, 1x1 back to 4 x 4 = 16: the input's shape, so no projection
        assertEquals(List.of("input", "a.conv1", "a.bn1", "a.conv2", "a.bn2", "a.conv3", "a.bn3", "a.add",
                "b.conv1", "b.bn1", "b.conv2", "b.bn2", "b.add"), g.nodes().stream().map(Node::name).toList());
        assertEquals(Shape.image(4, 8, 8), Nets.named(g, "a.conv1").out());
        assertEquals(Init.XAVIER, ((Op.Conv) Nets.named(g, "a.conv2").op()).init());
        Node aAdd = Nets.named(g, "a.add");
        assertEquals(Shape.image(16, 8, 8), aAdd.out());
        // ids in order of expansion: a's seven from 3, then b's five
        assertEquals(List.of(0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), ids(g));
        assertEquals(aAdd.id(), Nets.named(g, "b.conv1").input());
        assertEquals(List.of(aAdd.id()), Nets.named(g, "b.add").others());
        assertTrue(g.nodes().subList(8, 13).stream().allMatch(n -> n.origin() == 2));
    }

    @Test
    void aUserDefinedBlockGetsTheStagesSizes() {
        Op.Conv sized = new Op.Conv(Op.Residual.STAGE, 3, Op.Residual.STAGE, 1, 1, false, RELU, Init.DEFAULT, 0.01, 1);
        Op.Residual stage = new Op.Residual(dev.lamina.dsl.ResidualBlock.BASIC, 8, 2, 1, true, RELU, Init.DEFAULT,
                List.of(new Op.BlockLayer("c", sized), new Op.BlockLayer("n", new Op.BatchNorm(0.1, 1e-5, RELU))));
        Graph g = ShapeInference.infer(graph(false, Shape.image(4, 8, 8), layer(1, "s", stage)));
        assertEquals(List.of("input", "s.c", "s.n", "s.shortcut.conv", "s.shortcut.bn", "s.add"),
                g.nodes().stream().map(Node::name).toList());
        assertEquals(new Op.Conv(8, 3, 2, 1, 1, false, RELU, Init.DEFAULT, 0.01, 1), Nets.named(g, "s.c").op());
        assertEquals(Shape.image(8, 4, 4), Nets.named(g, "s.n").out());
        assertEquals(Shape.image(8, 4, 4), Nets.named(g, "s.add").out());
    }
}
