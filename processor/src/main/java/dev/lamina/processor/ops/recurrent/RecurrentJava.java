package dev.lamina.processor.ops.recurrent;

import static dev.lamina.processor.emit.java.RuntimeTypes.ELMAN_RNN;
import static dev.lamina.processor.emit.java.RuntimeTypes.GRU;
import static dev.lamina.processor.emit.java.RuntimeTypes.LSTM;
import static dev.lamina.processor.emit.java.RuntimeTypes.LSTM_CELL;
import static dev.lamina.processor.emit.java.RuntimeTypes.RECURRENT_GEOMETRY;
import static dev.lamina.processor.emit.java.RuntimeTypes.RECURRENT_STATE;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.MemoryPlan;
import java.util.Locale;
import javax.lang.model.element.Modifier;

/**
 * The Java lowering of a Recurrent layer (LSTM, GRU, Elman RNN): the runtime's kernel over every step, its gates
 * and states kept for backpropagation through time; a stateful layer loads the state it carried out of the previous
 * training batch and saves the one it ends with.
 */
final class RecurrentJava implements JavaLowering<Op.Recurrent> {
    static final RecurrentJava LOWERING = new RecurrentJava();

    private RecurrentJava() {
    }

    @Override
    public String describe(Op.Recurrent op, Node node) {
        return LayerCode.describe(node, op.kind(), null);
    }

    @Override
    public void declare(Op.Recurrent layer, Node node, ClassParts parts) {
        MemoryPlan.RecurrentRegions recurrent = parts.plan().recurrent().get(node.id());
        if (recurrent != null) {
            int steps = node.in().steps();
            parts.region(recurrent.gates(), Names.constant(node, "GATES"), "Arena offset (per sample) of "
                    + node.name() + "'s gates [" + steps + " steps, " + layer.gates() * layer.units()
                    + "]: activations, then their gradients.");
            if (recurrent.state() >= 0) {
                parts.region(recurrent.state(), Names.constant(node, MemoryPlan.RecurrentRegions.stateName(layer)),
                        "Arena offset (per sample) of " + node.name() + "'s " + (layer.cell() == Op.Cell.LSTM
                                ? "cell states." : "recurrent projections, then their gradients."));
            }
            if (layer.stateful()) {
                parts.region(recurrent.initial(), Names.constant(node, "INITIAL"), "Arena offset (per sample) of the "
                        + "state " + node.name() + " starts the batch from: the one it carried out of the previous "
                        + "batch.");
            }
            if (!layer.sequences()) {
                parts.region(recurrent.hidden(), Names.constant(node, "HIDDEN"), "Arena offset (per sample) of "
                        + node.name() + "'s hidden states, every step.");
            }
        }
        if (layer.peephole() || layer.coupled()) {
            parts.constant(FieldSpec.builder(LSTM_CELL, lstmCell(node), Modifier.PRIVATE, Modifier.STATIC,
                            Modifier.FINAL)
                    .addJavadoc("$L's variant: peepholes, coupled input gate.\n", node.name())
                    .initializer("new $T($L, $L)", LSTM_CELL, layer.peephole(), layer.coupled())
                    .build());
        }
        parts.constant(FieldSpec.builder(RECURRENT_GEOMETRY, Names.constant(node, "GEOMETRY"), Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Sizes of $L: steps, input features, units, gates.\n", node.name())
                .initializer("new $T($L, $L, $L, $L)", RECURRENT_GEOMETRY, node.in().steps(),
                        node.in().features(), layer.units(), layer.gates())
                .build());
        if (layer.stateful()) {
            parts.beforeTraining(CodeBlock.builder()
                    .addStatement("state.prepareCarried($L, n, $L)", node.id(), layer.carriedSize()).build());
        }
    }

    @Override
    public CodeBlock statistics(Op.Recurrent op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Recurrent l, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        regions(b, c, l);
        String last = l.sequences() ? "-1" : "out";
        if (l.stateful()) {
            // each row starts from the state it carried out of the previous training batch
            b.addStatement("int initial = -1");
            b.beginControlFlow("if ($L)", c.training());
            b.addStatement("initial = $L", c.slice(c.constant("INITIAL"), l.carriedSize()));
            b.addStatement("$T.load(state.carried($L), $L * $L, $L, initial, $L)", RECURRENT_STATE, node.id(),
                    c.first(), l.carriedSize(), c.a(), c.rows(l.carriedSize()));
            b.endControlFlow();
        }
        String initial = l.stateful() ? "initial" : "-1";
        String weight = c.constant("WEIGHT_IH");
        switch (l.cell()) {
            case LSTM -> b.addStatement("$T.forward($L, $L$L, in, $L, $L, $L, gates, cells, hidden, $L, $L)", LSTM,
                    c.geometry(), variant(node, l), c.arena(), c.rows(), c.params(), weight, last, initial);
            case GRU -> b.addStatement("$T.forward($L, $L, in, $L, $L, $L, gates, projections, hidden, $L, $L)", GRU,
                    c.geometry(), c.arena(), c.rows(), c.params(), weight, last, initial);
            case RNN -> b.addStatement("$T.forward($L, $L, in, $L, $L, $L, hidden, $L, $L)", ELMAN_RNN, c.geometry(),
                    c.arena(), c.rows(), c.params(), weight, last, initial);
        }
        if (l.stateful()) {
            b.beginControlFlow("if ($L && !state.holdsStates())", c.training());
            b.addStatement("$T.save($L, $L, hidden, $L, $L, state.carried($L), $L * $L)", RECURRENT_STATE,
                    c.geometry(), c.a(), l.cell() == Op.Cell.LSTM ? "cells" : "-1", c.rows(), node.id(), c.first(),
                    l.carriedSize());
            b.endControlFlow();
        }
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.Recurrent l, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        c.declareIn(b);
        if (l.sequences()) {
            c.declareOut(b);
        }
        regions(b, c, l);
        String dx = c.needsInputGradient() ? "deltaIn" : "-1";
        String state = switch (l.cell()) {
            case LSTM -> "cells, ";
            case GRU -> "projections, ";
            case RNN -> "";
        };
        ClassName kernel = switch (l.cell()) {
            case LSTM -> LSTM;
            case GRU -> GRU;
            case RNN -> ELMAN_RNN;
        };
        String initial = l.stateful() ? c.slice(c.constant("INITIAL"), l.carriedSize()) : "-1";
        b.addStatement("$T.backward($L, $L$L, in, $L, $L, $L, gates, $Lhidden, $L, delta, $L, $L, $L, $L)", kernel,
                c.geometry(), variant(node, l), c.arena(), c.rows(), c.params(), c.constant("WEIGHT_IH"), state,
                initial, l.sequences(), c.grads(), dx, c.worker());
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }

    /** Where this worker's rows of the layer's regions start (the hidden states: the output, for sequences). */
    private static void regions(CodeBlock.Builder b, LayerContext c, Op.Recurrent l) {
        int steps = c.node().in().steps();
        b.addStatement("int gates = $L", c.slice(c.constant("GATES"), steps * l.gates() * l.units()));
        int stateSize = MemoryPlan.RecurrentRegions.stateSize(l);
        if (stateSize > 0) {
            String name = MemoryPlan.RecurrentRegions.stateName(l);
            b.addStatement("int $L = $L", name.toLowerCase(Locale.ROOT), c.slice(c.constant(name), steps * stateSize));
        }
        if (l.sequences()) {
            b.addStatement("int hidden = out");
        } else {
            b.addStatement("int hidden = $L", c.slice(c.constant("HIDDEN"), steps * l.units()));
        }
    }

    /** The variant argument of an LSTM kernel call ({@code X_CELL, }), empty for the plain LSTM and other cells. */
    private static String variant(Node node, Op.Recurrent l) {
        return l.peephole() || l.coupled() ? lstmCell(node) + ", " : "";
    }

    /** The constant holding an LSTM variant. */
    private static String lstmCell(Node node) {
        return Names.constant(node, "CELL");
    }
}
