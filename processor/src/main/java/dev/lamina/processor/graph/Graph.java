package dev.lamina.processor.graph;

import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Precision;
import java.util.List;

/**
 * A network as the pipeline sees it: where the generated class goes, the loss, and the nodes in execution order
 * (node 0 is the input). Every pass reads a Graph and returns a new one; no javax.lang.model, no JavaPoet.
 *
 * @param layerFields the user's layer fields in declaration order, with their kinds, so that the generated class
 *                    fills in every handle even when fusion folded a layer into another
 * @param secondOrder whether the network asked for the R-passes ({@code @Network(secondOrder = true)})
 * @param secondOrderPrecision the arithmetic of their products ({@code @Network(secondOrderPrecision = ...)})
 */
public record Graph(String packageName, String userClass, String generatedClass, Loss loss, double labelSmoothing,
                    boolean fuse, List<Node> nodes, List<String> layerFields, boolean secondOrder,
                    Precision secondOrderPrecision) {

    /** A network without the R-passes (the graphs the pass tests build by hand). */
    public Graph(String packageName, String userClass, String generatedClass, Loss loss, double labelSmoothing,
                 boolean fuse, List<Node> nodes, List<String> layerFields) {
        this(packageName, userClass, generatedClass, loss, labelSmoothing, fuse, nodes, layerFields, false);
    }

    /** A network with or without the R-passes, in float (the graphs the pass tests build by hand). */
    public Graph(String packageName, String userClass, String generatedClass, Loss loss, double labelSmoothing,
                 boolean fuse, List<Node> nodes, List<String> layerFields, boolean secondOrder) {
        this(packageName, userClass, generatedClass, loss, labelSmoothing, fuse, nodes, layerFields, secondOrder,
                Precision.FLOAT);
    }

    public Graph withNodes(List<Node> newNodes) {
        return new Graph(packageName, userClass, generatedClass, loss, labelSmoothing, fuse, List.copyOf(newNodes),
                layerFields, secondOrder, secondOrderPrecision);
    }

    public Node input() {
        return nodes.get(0);
    }

    /** The layers after the input. */
    public List<Node> layers() {
        return nodes.subList(1, nodes.size());
    }

    public Node node(int id) {
        for (Node n : nodes) {
            if (n.id() == id) {
                return n;
            }
        }
        throw new IllegalArgumentException("no node " + id);
    }

    public Node output() {
        return nodes.get(nodes.size() - 1);
    }
}
