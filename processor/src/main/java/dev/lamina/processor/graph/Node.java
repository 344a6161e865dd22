package dev.lamina.processor.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * One layer of the graph. {@code input} is the id of the node it reads (-1 for the input node), and
 * {@code others} the ids of any further inputs (the shortcut of an {@link Op.Add}); shapes are null until shape
 * inference has run, and stay null past a layer whose shape could not be inferred. {@code dropout} is the rate of
 * a dropout that fusion folded into this node's epilogue (0 when none), and {@code dropoutName} the field it came
 * from. {@code pool} is a max pool that fusion folded into a convolution (null when none): {@code out} is then the
 * pooled shape. {@code origin} is the id of the declared node this one came from (itself, or a {@code @Residual}
 * that shape inference expanded): its errors are reported there. {@code appliedBy} is, for a batch norm that fusion
 * folded into the residual add reading it, that add's id (-1 when none): the add reads the norm's input and applies
 * the norm's transform on the way, so the norm computes its statistics but writes no output of its own.
 */
public record Node(int id, String name, Op op, int input, Shape in, Shape out, double dropout,
                   String dropoutName, FusedPool pool, List<Integer> others, int origin, int appliedBy) {

    public Node {
        others = List.copyOf(others);
    }

    /** A node that no reader applies. */
    public Node(int id, String name, Op op, int input, Shape in, Shape out, double dropout, String dropoutName,
                FusedPool pool, List<Integer> others, int origin) {
        this(id, name, op, input, in, out, dropout, dropoutName, pool, others, origin, -1);
    }

    /**
     * A max pool run on a convolution's raw sums, before its bias and activation: both are non-decreasing
     * functions applied per channel, so they commute with the max and run on a quarter of the values.
     *
     * @param name     the pool's field
     * @param op       the pool
     * @param convOut  the convolution's own output shape, before pooling
     */
    public record FusedPool(String name, Op.Pool op, Shape convOut) {
    }

    public static Node of(int id, String name, Op op, int input) {
        return new Node(id, name, op, input, null, null, 0, null, null, List.of(), id);
    }

    public Node withShapes(Shape newIn, Shape newOut) {
        return new Node(id, name, op, input, newIn, newOut, dropout, dropoutName, pool, others, origin, appliedBy);
    }

    public Node withInput(int newInput) {
        return new Node(id, name, op, newInput, in, out, dropout, dropoutName, pool, others, origin, appliedBy);
    }

    /** This node with further inputs after {@code input}. */
    public Node withOthers(List<Integer> newOthers) {
        return new Node(id, name, op, input, in, out, dropout, dropoutName, pool, newOthers, origin, appliedBy);
    }

    /** This node, reported as part of the declared node {@code declared}. */
    public Node withOrigin(int declared) {
        return new Node(id, name, op, input, in, out, dropout, dropoutName, pool, others, declared, appliedBy);
    }

    public Node withFusedDropout(double rate, String field) {
        return new Node(id, name, op, input, in, out, rate, field, pool, others, origin, appliedBy);
    }

    /** This convolution followed by {@code pooling} (a max pool node reading it), as one node. */
    public Node withFusedPool(Node pooling) {
        return new Node(id, name, op, input, in, pooling.out(), dropout, dropoutName,
                new FusedPool(pooling.name(), (Op.Pool) pooling.op(), out), others, origin, appliedBy);
    }

    /** This batch norm, its transform applied by the residual add {@code add} that reads it. */
    public Node withAppliedBy(int add) {
        return new Node(id, name, op, input, in, out, dropout, dropoutName, pool, others, origin, add);
    }

    /** Whether the layer reading this one applies its transform, so that this one writes no output. */
    public boolean isAppliedByReader() {
        return appliedBy >= 0;
    }

    /** Every input: {@code input}, then {@code others}. */
    public List<Integer> inputs() {
        List<Integer> all = new ArrayList<>();
        all.add(input);
        all.addAll(others);
        return all;
    }

    public boolean hasFusedDropout() {
        return dropout > 0;
    }

    public boolean hasFusedPool() {
        return pool != null;
    }

    /** The shape this node's own operation produces: the convolution's output when a pool was fused in. */
    public Shape ownOut() {
        return pool != null ? pool.convOut() : out;
    }
}
