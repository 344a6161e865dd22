package dev.lamina.spark;

import java.io.Serializable;

/**
 * Internal, not API: what partitions send back and {@code treeAggregate} sums. {@code values}: the gradient times
 * the partition's rows (synchronous steps) or the parameters after the local steps times the rows (local SGD);
 * {@code buffers}: the running statistics times the rows; {@code state} (local SGD): the optimizer's state arrays
 * after the local steps, one after the other, times the rows; so the sums divided by {@code rows} are the global
 * batch's mean gradient, or the rows-weighted mean of the parameters and of the optimizer state. Arrays are
 * allocated by the first partition added, so the zero value ships no arrays.
 */
final class Contribution implements Serializable {
    private static final long serialVersionUID = 1L;

    float[] values;
    float[] buffers;
    float[] state;
    double lossSum;
    double correct;
    long rows;
    /** Steps whose loss the sum holds, per partition (local SGD sums several). */
    int steps;

    static Contribution zero() {
        return new Contribution();
    }

    Contribution add(Contribution other) {
        values = sum(values, other.values);
        buffers = sum(buffers, other.buffers);
        state = sum(state, other.state);
        lossSum += other.lossSum;
        correct += other.correct;
        rows += other.rows;
        steps = Math.max(steps, other.steps);
        return this;
    }

    private static float[] sum(float[] into, float[] from) {
        if (from == null) {
            return into;
        }
        if (into == null) {
            return from.clone();
        }
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
        return into;
    }
}
