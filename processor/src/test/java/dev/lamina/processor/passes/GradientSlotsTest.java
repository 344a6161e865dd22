package dev.lamina.processor.passes;

import static dev.lamina.processor.passes.Nets.IDENTITY;
import static dev.lamina.processor.passes.Nets.RELU;
import static dev.lamina.processor.passes.Nets.conv;
import static dev.lamina.processor.passes.Nets.dense;
import static dev.lamina.processor.passes.Nets.graph;
import static dev.lamina.processor.passes.Nets.layer;
import static dev.lamina.processor.passes.Nets.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.GradientSlots;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import dev.lamina.processor.shape.ShapeInference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gradient slots of the backward pass, walked by hand in reverse order. */
class GradientSlotsTest {
    private static final Contribution NONE = Contribution.NONE;

    /** input -> c1 -> c2 -> add(c2, c1) -> fc (through an implicit flatten, id 5). */
    static Graph residualBlock() {
        Op.Add add = new Op.Add(RELU);
        return ShapeInference.infer(graph(false, Shape.image(2, 4, 4),
                layer(1, "c1", conv(2, 3, 1, 1, RELU)),
                layer(2, "c2", conv(2, 3, 1, 1, IDENTITY)),
                reading(3, "add", add, 2, 1),
                layer(4, "fc", dense(3, IDENTITY))));
    }

    @Test
    void aResidualBlocksShortcutIsAddedIn() {
        GradientSlots slots = GradientSlots.plan(residualBlock());
        // fc: output slot 0, writes slot 1 for the flatten, which hands it on to the add, which hands it on to c2;
        // the add's shortcut (c1) gets slot 0; c2 writes its input gradient to a temporary (2) added into 0; c1
        // needs none for the network input
        assertEquals(Map.of(4, 0, 5, 1, 3, 1, 2, 1, 1, 0), slots.gradient());
        assertEquals(Map.of(
                4, List.of(new Contribution(1, -1)),
                5, List.of(new Contribution(1, -1)),
                3, List.of(new Contribution(1, -1), new Contribution(0, -1)),
                2, List.of(new Contribution(2, 0)),
                1, List.of(NONE)), slots.contributions());
        assertEquals(3, slots.count());
    }

    @Test
    void aConcatenationWritesEachPartsGradient() {
        Graph g = ShapeInference.infer(graph(false, Shape.vector(4),
                layer(1, "a", dense(3, RELU)),
                layer(2, "b", dense(5, RELU)),
                reading(3, "joined", new Op.Concat(), 1, 2),
                layer(4, "out", dense(2, IDENTITY))));
        GradientSlots slots = GradientSlots.plan(g);
        assertEquals(Map.of(4, 0, 3, 1, 1, 0, 2, 2), slots.gradient());
        assertEquals(List.of(new Contribution(0, -1), new Contribution(2, -1)), slots.contributions().get(3));
        // b reads a, whose gradient the concatenation wrote: a temporary, added in
        assertEquals(List.of(new Contribution(1, 0)), slots.contributions().get(2));
        assertEquals(List.of(NONE), slots.contributions().get(1));
        assertEquals(3, slots.count());
    }

    @Test
    void aFlattenOfTheInputNeedsNoGradient() {
        Graph g = ShapeInference.infer(graph(false, Shape.image(1, 2, 2), layer(1, "fc", dense(3, IDENTITY))));
        GradientSlots slots = GradientSlots.plan(g);
        assertEquals(Map.of(1, 0), slots.gradient());
        assertEquals(Map.of(1, List.of(NONE), 2, List.of(NONE)), slots.contributions());
        assertEquals(1, slots.count());
    }

    @Test
    void aChainPingPongsBetweenTwoSlots() {
        Graph g = ShapeInference.infer(graph(false, Shape.vector(4),
                layer(1, "a", dense(4, RELU)), layer(2, "b", dense(4, RELU)), layer(3, "c", dense(4, RELU)),
                layer(4, "d", dense(4, RELU))));
        GradientSlots slots = GradientSlots.plan(g);
        assertEquals(Map.of(4, 0, 3, 1, 2, 0, 1, 1), slots.gradient());
        assertEquals(2, slots.count());
    }
}
