package dev.lamina.processor.emit.summary;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.MemoryPlan.TensorSlot;
import java.util.ArrayList;
import java.util.List;

/**
 * The description of a network that the processor writes next to its generated class ({@code Net.summary.tsv}),
 * so that the Maven plugin's {@code summary} goal can print every network of a project without running any of
 * its code: per layer, the output shape, parameters, forward FLOPs per sample and activation floats per sample.
 *
 * <p>FLOPs count a multiply-add as two: exact for GEMMs, convolutions and recurrent cells (their matrix products);
 * element-wise work (bias, activation, normalisation, pooling, adds) is counted as one FLOP per value it touches
 * per operation, an estimate. Training costs about three times the forward FLOPs.
 */
public final class NetworkSummary {
    /** The header line of the file, tab-separated. */
    public static final String HEADER = "layer\tkind\toutput\tparameters\tflops\tactivations";

    /** One layer: its field (or expanded) name, kind, output shape, parameters, FLOPs, activation floats. */
    public record Row(String name, String kind, String output, long parameters, long flops, long activations) {
        String line() {
            return name + "\t" + kind + "\t" + output + "\t" + parameters + "\t" + flops + "\t" + activations;
        }
    }

    private NetworkSummary() {
    }

    public static List<Row> rows(Graph graph, MemoryPlan plan) {
        List<Row> rows = new ArrayList<>();
        for (Node node : graph.layers()) {
            long params = plan.parameters().stream().filter(s -> s.node() == node.id())
                    .mapToLong(TensorSlot::length).sum();
            long activations = node.out().size() + (node.pool() != null ? node.pool().convOut().size() : 0);
            String kind = node.op().kind() + (node.pool() != null ? "+MaxPool" : "");
            rows.add(new Row(node.name(), kind, node.out().toString(), params, flops(node), activations));
        }
        return rows;
    }

    /**
     * The file: a comment line naming the network and its arena per sample (what training keeps per sample), the
     * header, one line per layer.
     */
    public static String text(Graph graph, MemoryPlan plan) {
        StringBuilder text = new StringBuilder();
        text.append("# ").append(graph.userClass()).append(" -> ").append(graph.packageName()).append('.')
                .append(graph.generatedClass()).append("\tinput ").append(graph.node(0).out())
                .append("\tarena floats per sample ").append(plan.arenaPerSample()).append('\n');
        text.append(HEADER).append('\n');
        for (Row row : rows(graph, plan)) {
            text.append(row.line()).append('\n');
        }
        return text.toString();
    }

    /** Forward FLOPs per sample of one node: its kind's count. */
    static long flops(Node node) {
        return flops(OpKinds.of(node.op()), node);
    }

    private static <T extends Op> long flops(OpKinds.Bound<T> b, Node node) {
        return b.kind().flops(b.op(), node);
    }

    /** FLOPs of {@code act} over {@code values} values: one each, none for the identity. */
    public static long activationFlops(Op.Act act, long values) {
        return act.isIdentity() ? 0 : values;
    }
}
