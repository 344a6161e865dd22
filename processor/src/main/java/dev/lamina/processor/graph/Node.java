package dev.lamina.processor.graph;

/**
 * One layer of the graph. {@code input} is the id of the node it reads (-1 for the input node); shapes are null
 * until shape inference has run, and stay null past a layer whose shape could not be inferred. {@code dropout}
 * is the rate of a dropout that fusion folded into this node's epilogue (0 when none), and {@code dropoutName}
 * the field it came from.
 */
public record Node(int id, String name, Op op, int input, Shape in, Shape out, double dropout,
                   String dropoutName) {

    public static Node of(int id, String name, Op op, int input) {
        return new Node(id, name, op, input, null, null, 0, null);
    }

    public Node withShapes(Shape newIn, Shape newOut) {
        return new Node(id, name, op, input, newIn, newOut, dropout, dropoutName);
    }

    public Node withInput(int newInput) {
        return new Node(id, name, op, newInput, in, out, dropout, dropoutName);
    }

    public Node withFusedDropout(double rate, String field) {
        return new Node(id, name, op, input, in, out, rate, field);
    }

    public boolean hasFusedDropout() {
        return dropout > 0;
    }
}
