package dev.lamina.processor.emit.summary;

import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
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

    /** Forward FLOPs per sample of one node. */
    static long flops(Node node) {
        Shape in = node.in();
        Shape out = node.out();
        long values = out.size();
        Op op = node.op();
        if (op instanceof Op.Dense d) {
            long rows = in.sequence() ? in.steps() : 1;
            long features = in.sequence() ? in.features() : in.size();
            return rows * (2L * features * d.units() + (d.bias() ? d.units() : 0) + activation(d.activation(), d.units()));
        }
        if (op instanceof Op.Conv c) {
            Shape conv = node.pool() != null ? node.pool().convOut() : out;
            long positions = (long) conv.height() * conv.width();
            long perPosition = 2L * c.kernel() * c.kernel() * (in.channels() / c.groups()) * c.filters();
            long pool = node.pool() != null ? (long) conv.size() : 0;
            return positions * perPosition + pool + (c.bias() ? values : 0) + activation(c.activation(), values);
        }
        if (op instanceof Op.Conv1d c) {
            return 2L * out.steps() * c.kernel() * in.features() * c.filters() + activation(c.activation(), values);
        }
        if (op instanceof Op.ConvTranspose t) {
            return 2L * in.height() * in.width() * in.channels() * t.kernel() * t.kernel() * t.filters()
                    + activation(t.activation(), values);
        }
        if (op instanceof Op.Recurrent r) {
            long h = r.units();
            long perStep = 2L * r.gates() * h * (in.features() + h) + 8L * r.gates() * h;
            return in.steps() * perStep;
        }
        if (op instanceof Op.Pool p) {
            return p.poolKind() == PoolKind.GLOBAL_AVERAGE ? in.size() : values * p.kernel() * p.kernel();
        }
        if (op instanceof Op.BatchNorm b) {
            return 4L * values + activation(b.activation(), values);
        }
        if (op instanceof Op.LayerNorm n) {
            return 6L * values + activation(n.activation(), values);
        }
        if (op instanceof Op.ResponseNorm r) {
            return values * (2L * r.size() + 4);
        }
        if (op instanceof Op.Add a) {
            return values * (1 + node.others().size()) + activation(a.activation(), values);
        }
        if (op instanceof Op.Dropout) {
            return values;
        }
        return 0; // flatten, concatenation, embedding lookups, upsampling: data movement only
    }

    private static long activation(Op.Act act, long values) {
        return act.isIdentity() ? 0 : values;
    }
}
