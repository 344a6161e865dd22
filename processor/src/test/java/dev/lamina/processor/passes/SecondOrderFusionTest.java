package dev.lamina.processor.passes;

import static dev.lamina.processor.passes.Nets.IDENTITY;
import static dev.lamina.processor.passes.Nets.RELU;
import static dev.lamina.processor.passes.Nets.dense;
import static dev.lamina.processor.passes.Nets.graph;
import static dev.lamina.processor.passes.Nets.ids;
import static dev.lamina.processor.passes.Nets.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.lamina.dsl.Loss;
import dev.lamina.processor.fuse.Fusion;
import dev.lamina.processor.fuse.NormIntoAdd;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.shape.ShapeInference;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In a network that asks for the R-passes fusion keeps each dropout a layer of its own and leaves every batch norm
 * its own output: the R-rules of the layer before read that layer's outputs, which a folded dropout's mask or a
 * folded norm would leave unwritten. The same graphs without the attribute fold as before.
 */
class SecondOrderFusionTest {
    private static Graph withSecondOrder(Graph g, boolean secondOrder) {
        return new Graph(g.packageName(), g.userClass(), g.generatedClass(), g.loss(), g.labelSmoothing(), g.fuse(),
                g.nodes(), g.layerFields(), secondOrder);
    }

    @Test
    void aDropoutStaysALayerOfItsOwn() {
        Graph declared = ShapeInference.infer(graph(true, Shape.vector(4), layer(1, "h", dense(3, RELU)),
                layer(2, "drop", new Op.Dropout(0.25)), layer(3, "out", dense(2, IDENTITY))));
        Graph plain = Fusion.fuse(withSecondOrder(declared, false));
        assertEquals(List.of(0, 1, 3), ids(plain));
        assertEquals(0.25, plain.node(1).dropout());
        Graph second = Fusion.fuse(withSecondOrder(declared, true));
        assertEquals(List.of(0, 1, 2, 3), ids(second));
        assertFalse(second.node(1).hasFusedDropout());
        assertEquals(2, second.node(3).input());
    }

    @Test
    void anAddDoesNotApplyTheBatchNormItReads() {
        Shape image = Shape.image(8, 4, 4);
        List<Node> nodes = List.of(
                Node.of(0, "input", new Op.Input(0), -1).withShapes(null, image),
                Node.of(1, "bn", new Op.BatchNorm(0.1, 1e-5, IDENTITY), 0).withShapes(image, image),
                Node.of(2, "add", new Op.Add(IDENTITY), 1).withShapes(image, image).withOthers(List.of(0)));
        Graph declared = new Graph("nets", "nets.UserNet", "Net", Loss.MEAN_SQUARED_ERROR, 0, true,
                nodes, List.of("bn", "add"), false);
        assertEquals(2, NormIntoAdd.rewrite(declared).node(1).appliedBy());
        assertEquals(-1, NormIntoAdd.rewrite(withSecondOrder(declared, true)).node(1).appliedBy());
    }
}
