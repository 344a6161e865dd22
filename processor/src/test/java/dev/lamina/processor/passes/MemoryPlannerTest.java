package dev.lamina.processor.passes;

import static dev.lamina.processor.passes.Nets.IDENTITY;
import static dev.lamina.processor.passes.Nets.RELU;
import static dev.lamina.processor.passes.Nets.conv;
import static dev.lamina.processor.passes.Nets.dense;
import static dev.lamina.processor.passes.Nets.graph;
import static dev.lamina.processor.passes.Nets.layer;
import static dev.lamina.processor.passes.Nets.maxPool;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Init;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.fuse.Fusion;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.MemoryPlan.TensorSlot;
import dev.lamina.processor.plan.MemoryPlanner;
import dev.lamina.processor.shape.ShapeInference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memory plan of hand-built graphs, with every offset worked out by hand. */
class MemoryPlannerTest {
    private static final double EPS = 1e-12;

    static MemoryPlan plan(Graph declared) {
        return MemoryPlanner.plan(Fusion.fuse(ShapeInference.infer(declared)));
    }

    @Test
    void aPerceptronWithDropout() {
        MemoryPlan plan = plan(graph(false, Shape.vector(4),
                layer(1, "h", dense(3, RELU)),
                layer(2, "drop", new Op.Dropout(0.5)),
                layer(3, "out", dense(2, IDENTITY))));
        // input 0..4, h 4..7, dropout 7..10 and its mask 10..13, out 13..15
        assertEquals(Map.of(0, 0, 1, 4, 2, 7, 3, 13), plan.output());
        assertEquals(Map.of(2, 10), plan.mask());
        // the output's gradient in slot 0, the dropout's in 1, passed on in place to h; then 2 slots of the largest
        // layer (the input's 4 floats) after the regions
        assertEquals(Map.of(3, 0, 2, 1, 1, 1), plan.gradient());
        assertEquals(2, plan.gradientSlots());
        assertEquals(15, plan.deltaBase());
        assertEquals(4, plan.deltaStride());
        assertEquals(23, plan.arenaPerSample());
        assertEquals(0, plan.indicesPerSample());

        List<TensorSlot> p = plan.parameters();
        assertEquals(List.of("h.weight", "h.bias", "out.weight", "out.bias"), p.stream().map(TensorSlot::name).toList());
        assertEquals(List.of(0, 12, 15, 21), p.stream().map(TensorSlot::offset).toList());
        assertArrayEquals(new int[] {3, 4}, p.get(0).shape());
        // He before a ReLU: sqrt(2 / fan-in 4); Xavier otherwise: sqrt(2 / (3 + 2))
        assertEquals(Math.sqrt(0.5), p.get(0).initStd(), EPS);
        assertEquals(0, p.get(1).initStd());
        assertEquals(Math.sqrt(0.4), p.get(2).initStd(), EPS);
        assertEquals(23, plan.parameterCount());
        assertEquals(p.get(2), plan.parameter(3, "weight"));
        assertTrue(plan.buffers().isEmpty());
    }

    @Test
    void aFoldedDropoutGetsItsMaskAfterItsLayersOutput() {
        Graph fused = Fusion.fuse(ShapeInference.infer(graph(true, Shape.vector(4),
                layer(1, "h", dense(3, RELU)),
                layer(2, "drop", new Op.Dropout(0.25)),
                layer(3, "out", dense(2, IDENTITY)))));
        MemoryPlan plan = MemoryPlanner.plan(fused);
        assertEquals(Map.of(0, 0, 1, 4, 3, 10), plan.output());
        assertEquals(Map.of(1, 7), plan.mask());
        assertEquals(Map.of(3, 0, 1, 1), plan.gradient());
    }

    @Test
    void aConvolutionWithAFusedPoolAndTheFlattenThatSharesItsRegion() {
        MemoryPlan plan = plan(graph(true, Shape.image(1, 6, 6),
                layer(1, "c", conv(2, 3, 1, 0, RELU)),
                layer(2, "pool", maxPool(2, 2)),
                layer(3, "fc", dense(3, IDENTITY))));
        // input 0..36; the pooled conv [2, 2, 2] 36..44; its raw sums in wide rows (one channel, stride 1): 4 rows
        // of 6 positions x 2 channels = 48 floats, 44..92; the flatten (id 4) is the conv's region; fc 92..95
        assertEquals(Map.of(0, 0, 1, 36, 4, 36, 3, 92), plan.output());
        assertEquals(Map.of(1, 44), plan.sums());
        // a 2x2 max pool finds its winners again: no index region
        assertTrue(plan.argmax().isEmpty());
        assertEquals(36, plan.deltaStride());
        assertEquals(95, plan.deltaBase());
        assertEquals(95 + 2 * 36, plan.arenaPerSample());
        TensorSlot weight = plan.parameter(1, "weight");
        assertArrayEquals(new int[] {2, 3, 3, 1}, weight.shape());
        assertEquals(Math.sqrt(2.0 / 9), weight.initStd(), EPS);
        assertEquals(18, plan.parameter(1, "bias").offset());
        // the dense reads the 8 pooled values: Xavier over fan-in 8, fan-out 3
        TensorSlot fc = plan.parameter(3, "weight");
        assertEquals(20, fc.offset());
        assertArrayEquals(new int[] {3, 8}, fc.shape());
        assertEquals(Math.sqrt(2.0 / 11), fc.initStd(), EPS);
        assertEquals(47, plan.parameterCount());
    }

    @Test
    void aPoolThatRecordsItsWinnersUsesTheIndexArena() {
        MemoryPlan plan = plan(graph(false, Shape.image(1, 5, 5),
                layer(1, "pool", maxPool(3, 2)),
                layer(2, "fc", dense(2, IDENTITY))));
        // (5 - 3) / 2 + 1 = 2: four winners per sample
        assertEquals(Map.of(1, 0), plan.argmax());
        assertEquals(4, plan.indicesPerSample());
    }

    @Test
    void aGroupedConvolutionsWorkingRegion() {
        Op.Conv grouped = new Op.Conv(6, 3, 1, 1, 1, false, RELU, Init.DEFAULT, 0.01, 2);
        MemoryPlan plan = plan(graph(false, Shape.image(4, 5, 5), layer(1, "g", grouped)));
        // output [6, 5, 5] at 100; then one group's 2 input channels twice (50 + 50) and its 3 output channels (75)
        assertEquals(100, plan.output().get(1));
        assertEquals(Map.of(1, 250), plan.grouped());
        assertArrayEquals(new int[] {6, 3, 3, 2}, plan.parameter(1, "weight").shape());
        assertEquals(108, plan.parameterCount());
    }

    @Test
    void embeddingRecurrentAndLayerNorm() {
        MemoryPlan plan = plan(graph(false, 50, Shape.sequence(6, 1),
                layer(1, "e", new Op.Embedding(8)),
                layer(2, "l", new Op.Recurrent(Op.Cell.LSTM, 4, false, false, false, false)),
                layer(3, "n", new Op.LayerNorm(1e-5, IDENTITY)),
                layer(4, "out", dense(2, IDENTITY))));
        assertEquals(Map.of(0, 0, 1, 6, 2, 54, 3, 202, 4, 208), plan.output());
        // per step: 16 gate values, 4 cells, 4 hidden values (its own: it returns only the last)
        assertEquals(new MemoryPlan.RecurrentRegions(58, 154, 178, -1), plan.recurrent().get(2));
        // one row of a vector: its mean and inverse deviation
        assertEquals(Map.of(3, 206), plan.normStats());
        assertEquals(210, plan.deltaBase());
        assertEquals(48, plan.deltaStride());
        assertEquals(306, plan.arenaPerSample());

        assertEquals(List.of("e.weight", "l.weight_ih", "l.weight_hh", "l.bias_ih", "l.bias_hh", "n.weight",
                "n.bias", "out.weight", "out.bias"), plan.parameters().stream().map(TensorSlot::name).toList());
        assertEquals(List.of(0, 400, 528, 592, 608, 624, 628, 632, 640),
                plan.parameters().stream().map(TensorSlot::offset).toList());
        assertArrayEquals(new int[] {50, 8}, plan.parameter(1, "weight").shape());
        assertEquals(1.0, plan.parameter(1, "weight").initStd());
        assertEquals(1 / Math.sqrt(12), plan.parameter(2, "recurrent weight").initStd(), EPS);
        assertEquals("SCALE", plan.parameter(3, "gamma").kind());
        assertEquals(642, plan.parameterCount());
    }

    @Test
    void batchNormKeepsItsStatisticsInTheBuffers() {
        MemoryPlan plan = plan(graph(false, Shape.image(2, 3, 3),
                layer(1, "bn", new Op.BatchNorm(0.1, 1e-5, RELU))));
        assertEquals(List.of("bn.weight", "bn.bias"), plan.parameters().stream().map(TensorSlot::name).toList());
        assertEquals(List.of("SCALE", "SHIFT"), plan.parameters().stream().map(TensorSlot::kind).toList());
        assertEquals(List.of("bn.running_mean", "bn.running_var"),
                plan.buffers().stream().map(TensorSlot::name).toList());
        assertEquals(2, plan.buffer(1, "var").offset());
        assertEquals(4, plan.bufferCount());
    }

    @Test
    void uniformFanInDrawsTheBiasAsTheWeights() {
        Op.Dense d = new Op.Dense(5, RELU, true, Init.UNIFORM_FAN_IN, 0.01);
        MemoryPlan plan = plan(graph(false, Shape.vector(16), layer(1, "d", d)));
        TensorSlot weight = plan.parameter(1, "weight");
        TensorSlot bias = plan.parameter(1, "bias");
        assertTrue(weight.uniform());
        assertTrue(bias.uniform());
        assertEquals(0.25, weight.initStd(), EPS);
        assertEquals(0.25, bias.initStd(), EPS);

        Op.Dense gaussian = new Op.Dense(5, RELU, false, Init.GAUSSIAN, 0.03);
        MemoryPlan g = plan(graph(false, Shape.vector(16), layer(1, "d", gaussian)));
        assertFalse(g.parameter(1, "weight").uniform());
        assertEquals(0.03, g.parameter(1, "weight").initStd());
        assertEquals(1, g.parameters().size());
    }

    @Test
    void anAveragePoolKeepsNothing() {
        MemoryPlan plan = plan(graph(false, Shape.image(1, 4, 4),
                layer(1, "avg", new Op.Pool(PoolKind.AVERAGE, 2, 2, 0, false))));
        assertTrue(plan.argmax().isEmpty());
        assertEquals(Map.of(0, 0, 1, 16), plan.output());
    }
}
