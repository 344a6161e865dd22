package dev.lamina.processor.passes;

import static dev.lamina.processor.passes.Nets.IDENTITY;
import static dev.lamina.processor.passes.Nets.RELU;
import static dev.lamina.processor.passes.Nets.conv;
import static dev.lamina.processor.passes.Nets.dense;
import static dev.lamina.processor.passes.Nets.graph;
import static dev.lamina.processor.passes.Nets.layer;
import static dev.lamina.processor.passes.Nets.maxPool;
import static dev.lamina.processor.plan.Schedule.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.fuse.Fusion;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.MemoryPlan.TensorSlot;
import dev.lamina.processor.plan.MemoryPlanner;
import dev.lamina.processor.plan.Schedule;
import dev.lamina.processor.plan.Schedule.InputGradient;
import dev.lamina.processor.plan.Schedule.Phase;
import dev.lamina.processor.plan.Schedule.Step;
import dev.lamina.processor.shape.ShapeInference;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule of hand-built graphs: the steps in order, with their regions. */
class ScheduleTest {

    private static List<Integer> ids(List<Step> steps) {
        return steps.stream().map(Step::id).toList();
    }

    /**
     * The residual block of {@link GradientSlotsTest}: input [2, 4, 4] at 0, c1 at 32, c2 at 64, the add at 96 (the
     * flatten, id 5, shows it), fc [3] at 128; three gradient slots of 32 floats from 131.
     */
    @Test
    void aResidualBlock() {
        Graph g = GradientSlotsTest.residualBlock();
        MemoryPlan plan = MemoryPlanner.plan(g);
        Schedule s = Schedule.of(g, plan);
        assertEquals(131, plan.deltaBase());
        assertEquals(32, plan.deltaStride());

        assertEquals(List.of(1, 2, 3, 5, 4), ids(s.forward()));
        assertTrue(s.forward().stream().allMatch(st -> st.phase() == Phase.FORWARD));
        Step add = s.forward().get(2);
        assertEquals(List.of(2, 1), add.sources());
        assertEquals(List.of(64, 32), add.inputs());
        assertEquals(96, add.output());
        assertEquals(NONE, add.gradientSlot());
        Step flatten = s.forward().get(3);
        assertTrue(flatten.view());
        assertEquals(96, flatten.output());
        Step fc = s.forward().get(4);
        assertFalse(fc.view());
        assertEquals(List.of(3), fc.sources(), "through the flatten");
        assertEquals(96, fc.input());
        assertEquals(128, fc.output());

        Step loss = s.loss();
        assertEquals(Phase.LOSS, loss.phase());
        assertEquals(4, loss.id());
        assertEquals(List.of(128), loss.inputs());
        assertEquals(0, loss.gradientSlot());
        assertEquals(131, loss.gradient());

        assertEquals(List.of(4, 5, 3, 2, 1), ids(s.backward()));
        Step fcBack = s.backward().get(0);
        assertEquals(0, fcBack.gradientSlot());
        assertEquals(List.of(new InputGradient(5, 1, 163, NONE, NONE)), fcBack.inputGradients());
        Step addBack = s.backward().get(2);
        assertEquals(163, addBack.gradient());
        assertEquals(List.of(new InputGradient(2, 1, 163, NONE, NONE), new InputGradient(1, 0, 131, NONE, NONE)),
                addBack.inputGradients());
        // c2's gradient for c1 goes to a temporary slot and is added into c1's
        InputGradient c2 = s.backward().get(3).inputGradients().get(0);
        assertEquals(new InputGradient(1, 2, 195, 0, 131), c2);
        assertTrue(c2.accumulates());
        assertTrue(s.backward().get(4).inputGradients().get(0).none(), "the network input needs none");

        assertEquals(List.of(1, 2, 4), ids(s.update()));
        List<TensorSlot> fcParameters = s.update().get(2).parameters();
        assertEquals(List.of("fc.weight", "fc.bias"), fcParameters.stream().map(TensorSlot::name).toList());
        assertEquals(List.of(76, 172), fcParameters.stream().map(TensorSlot::offset).toList());
        assertEquals(NONE, s.update().get(2).output());

        assertEquals(5 + 1 + 5 + 3, s.steps().size());
        assertEquals(loss, s.steps().get(5));
    }

    @Test
    void aFlattenOfTheInputHasNoBackwardStep() {
        Graph g = ShapeInference.infer(graph(false, Shape.image(1, 2, 2), layer(1, "fc", dense(3, IDENTITY))));
        Schedule s = Schedule.of(g, MemoryPlanner.plan(g));
        assertEquals(List.of(2, 1), ids(s.forward()));
        assertEquals(List.of(0), s.forward().get(1).sources());
        assertEquals(List.of(1), ids(s.backward()));
    }

    @Test
    void stepsCarryTheirKindsRegions() {
        // the planner's fused convolution and folded dropout
        Graph fused = Fusion.fuse(ShapeInference.infer(graph(true, Shape.image(1, 6, 6),
                layer(1, "c", conv(2, 3, 1, 0, RELU)), layer(2, "pool", maxPool(2, 2)),
                layer(3, "drop", new Op.Dropout(0.5)), layer(4, "fc", dense(3, IDENTITY)))));
        Schedule s = Schedule.of(fused, MemoryPlanner.plan(fused));
        Step c = s.forward().get(0);
        // output 36..44, its mask 44..52, the raw sums 52..100
        assertEquals(36, c.output());
        assertEquals(44, c.mask());
        assertEquals(52, c.sums());
        assertEquals(NONE, c.argmax());
        assertEquals(NONE, c.normStats());
        assertNull(c.recurrent());
        assertEquals(2, c.parameters().size());

        Graph seq = ShapeInference.infer(graph(false, 50, Shape.sequence(6, 1),
                layer(1, "e", new Op.Embedding(8)),
                layer(2, "l", new Op.Recurrent(Op.Cell.LSTM, 4, false, false, false, false)),
                layer(3, "n", new Op.LayerNorm(1e-5, IDENTITY)),
                layer(4, "bn", new Op.BatchNorm(0.1, 1e-5, IDENTITY))));
        Schedule t = Schedule.of(seq, MemoryPlanner.plan(seq));
        assertEquals(new MemoryPlan.RecurrentRegions(58, 154, 178, -1), t.forward().get(1).recurrent());
        assertEquals(206, t.forward().get(2).normStats());
        assertEquals(List.of("bn.running_mean", "bn.running_var"),
                t.forward().get(3).buffers().stream().map(TensorSlot::name).toList());
        // the embedding writes a gradient for the token ids nobody reads: a slot all the same
        assertFalse(t.backward().get(3).inputGradients().get(0).none());
    }

    /** What the emitters ask a step and the schedule beyond the steps' fields. */
    @Test
    void theEmittersQuestions() {
        Graph g = GradientSlotsTest.residualBlock();
        MemoryPlan plan = MemoryPlanner.plan(g);
        Schedule s = Schedule.of(g, plan);
        assertSame(g, s.graph());
        assertSame(plan, s.plan());
        // the flatten (5) shows the add (3); the others are their own sources
        assertEquals(3, s.source(5));
        assertEquals(3, s.source(3));
        assertEquals(0, s.source(0));
        assertEquals(96, s.region(5));
        assertEquals(0, s.region(0));

        Step fc = s.forward().get(4);
        assertEquals(3, fc.source());
        assertEquals(76, fc.parameter("weight").offset());
        assertEquals(172, fc.parameter("bias").offset());
        assertThrows(IllegalStateException.class, () -> fc.parameter("gamma"));
        assertEquals(4, s.loss().source());

        Step c2Back = s.backward().get(3);
        assertEquals(new InputGradient(1, 2, 195, 0, 131), c2Back.inputGradient());
        assertEquals(s.deltaRegion(2), c2Back.inputGradient().region());

        Graph seq = ShapeInference.infer(graph(false, Shape.image(2, 2, 2),
                layer(1, "bn", new Op.BatchNorm(0.1, 1e-5, IDENTITY)), layer(2, "fc", dense(3, IDENTITY))));
        Step bn = Schedule.of(seq, MemoryPlanner.plan(seq)).forward().get(0);
        assertEquals("bn.running_var", bn.buffer("var").name());
    }
}
