package dev.lamina.runtime.analysis.hessian;

/**
 * The product {@code H v} of a loss's Hessian (with respect to the parameters, on a batch fixed when the operator
 * was made) with any direction {@code v}: the one thing the tools of this package need. Vectors are the
 * parameters flattened in {@link dev.lamina.runtime.Model#parameterTensors()} order, tensor after tensor, each in
 * its own layout. {@link FiniteDifferenceHvp} implements it today by central differences of the gradient; an
 * exact R-pass generated with the network implements the same contract.
 */
public interface HessianVectorProduct {

    /** {@return the number of parameters W: the length of every vector this operator takes and gives} */
    int size();

    /**
     * Writes {@code H v} into {@code out}. The parameters are left as they were.
     *
     * @param v the direction, {@link #size()} values; not changed
     * @param out receives the product, {@link #size()} values
     * @throws IllegalArgumentException when a vector's length is not {@link #size()}
     */
    void apply(double[] v, double[] out);

    /** {@return the mean loss on the operator's batch at the current parameters} */
    double loss();

    /** {@return the gradient of {@link #loss()} at the current parameters, {@link #size()} values, a new array} */
    double[] gradient();

    /**
     * {@return {@code H v} in a new array}
     *
     * @param v the direction, {@link #size()} values
     */
    default double[] apply(double[] v) {
        double[] out = new double[size()];
        apply(v, out);
        return out;
    }
}
