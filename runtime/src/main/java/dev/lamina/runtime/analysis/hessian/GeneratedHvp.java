package dev.lamina.runtime.analysis.hessian;

import dev.lamina.runtime.Model;

/**
 * {@code H v} exactly, by the R-passes the processor generates for a network declared {@code @Network(secondOrder
 * = true)} ({@link Model#hessianVectorProduct}): one forward pass and one R-pass per product, on a batch fixed at
 * construction, in the mode chosen. The same contract as {@link FiniteDifferenceHvp}, so every tool of this package
 * takes either; this one has no step to choose and no truncation error, and is symmetric to rounding. The
 * parameters, running statistics and mode are put back bit for bit after every product. {@link #gaussNewton} gives
 * the same operator on the Gauss-Newton matrix {@code G = J^T H_loss J} instead ({@link
 * Model#gaussNewtonVectorProduct}), for the tools that want a positive semidefinite curvature.
 */
public final class GeneratedHvp implements HessianVectorProduct {
    private final ModelBatch batch;
    private final boolean training;
    private final boolean gaussNewton;

    private GeneratedHvp(ModelBatch batch, boolean training, boolean gaussNewton) {
        this.batch = batch;
        this.training = training;
        this.gaussNewton = gaussNewton;
    }

    /**
     * {@return the operator on the {@code n} samples of {@code inputs} and {@code targets} (copied), one after
     * another as {@link Model#setInput} and {@link Model#setTarget} take them, in {@code mode}}
     *
     * @param model the network, declared {@code @Network(secondOrder = true)}; its parameters are read at each
     *         product
     * @param inputs {@code n x inputSize} values
     * @param targets {@code n x outputSize} values
     * @param n the number of samples
     * @param mode the mode the passes run in
     * @throws IllegalArgumentException when the arrays do not hold {@code n} samples
     * @throws UnsupportedOperationException when the model has no generated R-pass
     */
    public static GeneratedHvp of(Model model, float[] inputs, float[] targets, int n, FiniteDifferenceHvp.Mode mode) {
        return checked(new GeneratedHvp(new ModelBatch(model, inputs, targets, n),
                mode == FiniteDifferenceHvp.Mode.TRAINING, false));
    }

    /**
     * {@return the operator {@code v -> G v} of the Gauss-Newton matrix on the same terms as {@link #of}: its
     * {@link #apply} gives {@code J^T H_loss J v}, its {@link #loss} and {@link #gradient} are the loss's}
     *
     * @param model the network, declared {@code @Network(secondOrder = true)}
     * @param inputs {@code n x inputSize} values
     * @param targets {@code n x outputSize} values
     * @param n the number of samples
     * @param mode the mode the passes run in
     * @throws IllegalArgumentException when the arrays do not hold {@code n} samples
     * @throws UnsupportedOperationException when the model has no generated R-pass
     */
    public static GeneratedHvp gaussNewton(Model model, float[] inputs, float[] targets, int n,
                                           FiniteDifferenceHvp.Mode mode) {
        return checked(new GeneratedHvp(new ModelBatch(model, inputs, targets, n),
                mode == FiniteDifferenceHvp.Mode.TRAINING, true));
    }

    private static GeneratedHvp checked(GeneratedHvp hvp) {
        // refuse a model without the R-pass here, not at the first product deep inside a tool
        hvp.apply(new double[hvp.size()], new double[hvp.size()]);
        return hvp;
    }

    @Override
    public int size() {
        return batch.flat.size();
    }

    @Override
    public void apply(double[] v, double[] out) {
        Vectors.checkLength("a direction", v, size());
        Vectors.checkLength("an output", out, size());
        Model model = batch.model;
        int count = model.parameterCount();
        double[] direction = new double[count];
        for (int k = 0; k < v.length; k++) {
            if (!Double.isFinite(v[k])) {
                throw new IllegalArgumentException("expected a finite direction, found " + v[k] + " at " + k);
            }
            direction[batch.flat.position(k)] = v[k];
        }
        double[] product = new double[count];
        batch.holding(training, () -> {
            batch.forwardLoss();
            if (gaussNewton) {
                model.gaussNewtonVectorProduct(batch.n, direction, product);
            } else {
                model.hessianVectorProduct(batch.n, direction, product);
            }
            return null;
        });
        for (int k = 0; k < out.length; k++) {
            out[k] = product[batch.flat.position(k)];
        }
    }

    @Override
    public double loss() {
        return batch.holding(training, batch::forwardLoss);
    }

    @Override
    public double[] gradient() {
        return batch.holding(training, batch::gradient);
    }
}
