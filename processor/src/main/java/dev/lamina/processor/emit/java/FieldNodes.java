package dev.lamina.processor.emit.java;

import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which node each layer field of the user's class became after expansion and fusion: its own, the layer a pool or
 * dropout was folded into, or the last block of a residual stage; and so where its output and the gradient with
 * respect to it live, or why fusion kept none.
 */
final class FieldNodes {
    private final Graph graph;

    FieldNodes(Graph graph) {
        this.graph = graph;
    }

    /**
     * The fields whose output's gradient a caller may add to ({@code Layer.addGradient}), by the node whose backward
     * step reads that gradient, in field order: every field with an output of its own except a layer with a dropout
     * folded into it (its node's gradient is the dropped values', the dropout field's) and views of the network
     * input (no backward step reads them). {@code backward} holds the nodes that have a backward step.
     */
    Map<Integer, List<String>> gradientTargets(Set<Integer> backward) {
        Map<Integer, List<String>> targets = new LinkedHashMap<>();
        for (String field : graph.layerFields()) {
            Node node = residualStageEnd(field);
            if (node == null) {
                node = nodeForField(field);
                if (fusedAway(field, node) != null || field.equals(node.name()) && node.hasFusedDropout()) {
                    continue;
                }
            }
            if (backward.contains(node.id())) {
                targets.computeIfAbsent(node.id(), id -> new ArrayList<>()).add(field);
            }
        }
        return targets;
    }

    /** Why fusion left field {@code field} (which became {@code node}) no output of its own, or null. */
    static String fusedAway(String field, Node node) {
        if (!field.equals(node.name())) {
            return null; // a pool or dropout folded into node: node's region holds the pooled or dropped values
        }
        if (node.appliedBy() >= 0) {
            return "fusion folded this batch norm into the residual add that reads it (the add applies scale x + "
                    + "shift as it reads the norm's input), so the norm writes no output; declare the network "
                    + "@Network(fuse = false) to keep it";
        }
        if (node.hasFusedPool()) {
            return "fusion folded the max pool '" + node.pool().name() + "' into this convolution, which keeps only "
                    + "its raw sums (before bias and activation, which run on the pooled values); read '"
                    + node.pool().name() + "' for the pooled output, or declare the network @Network(fuse = false) "
                    + "to keep the convolution's";
        }
        return null;
    }

    /** The last node of the residual stage {@code field} expanded into (its blocks' names start with it), or null. */
    Node residualStageEnd(String field) {
        Node last = null;
        for (Node node : graph.layers()) {
            if (node.name().startsWith(field + ".")) {
                last = node;
            }
        }
        return last;
    }

    /** The node a field became: itself, or the layer a pool or dropout was fused into. */
    Node nodeForField(String field) {
        for (Node node : graph.layers()) {
            if (node.name().equals(field) || field.equals(node.dropoutName())
                    || node.hasFusedPool() && field.equals(node.pool().name())) {
                return node;
            }
        }
        throw new IllegalStateException("no node for field " + field);
    }

    static String kindOf(String field, Node node) {
        if (field.equals(node.dropoutName())) {
            return "Dropout";
        }
        return field.equals(node.name()) ? node.op().kind() : node.pool().op().kind();
    }
}
