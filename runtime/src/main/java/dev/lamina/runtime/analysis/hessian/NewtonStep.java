package dev.lamina.runtime.analysis.hessian;

/**
 * Newton's step {@code -H^-1 g} (small networks: it needs the full Hessian) and the optimal step size along the
 * gradient, {@code g^T g / g^T H g} (one product: the exact line minimum of the local quadratic model).
 */
public final class NewtonStep {
    private NewtonStep() {
    }

    /**
     * {@return {@code -H^-1 g} by Cholesky: the step to the minimum of the quadratic model, which exists only
     * where {@code H} is positive definite}
     *
     * @param hessian the Hessian
     * @param gradient the gradient, {@link HessianMatrix#size()} values
     * @throws IllegalArgumentException when the Hessian is not positive definite (the message names the pivot)
     */
    public static double[] of(HessianMatrix hessian, double[] gradient) {
        Vectors.checkLength("a gradient", gradient, hessian.size());
        double[] x = DenseSolve.cholesky(hessian.values(), gradient);
        Vectors.scale(x, -1);
        return x;
    }

    /**
     * {@return {@code -H^-1 g} by LU: the quadratic model's stationary point, also where {@code H} is indefinite
     * (then it may be a saddle or a maximum)}
     *
     * @param hessian the Hessian
     * @param gradient the gradient
     * @throws IllegalArgumentException when the Hessian is singular
     */
    public static double[] stationary(HessianMatrix hessian, double[] gradient) {
        Vectors.checkLength("a gradient", gradient, hessian.size());
        double[] x = DenseSolve.lu(hessian.values(), gradient);
        Vectors.scale(x, -1);
        return x;
    }

    /**
     * {@return {@code g^T g / g^T H g} at the operator's current parameters: the learning rate that minimises the
     * quadratic model along {@code -g}}
     *
     * @param hvp the operator
     * @throws IllegalStateException when the curvature along the gradient is not positive (no minimum along it)
     */
    public static double optimalStepSize(HessianVectorProduct hvp) {
        double[] g = hvp.gradient();
        double gg = Vectors.dot(g, g);
        double curvature = Vectors.dot(g, hvp.apply(g));
        if (!(curvature > 0)) {
            throw new IllegalStateException("expected positive curvature along the gradient, found g^T H g = "
                    + curvature + " (g^T g = " + gg + "): the quadratic model has no minimum along it");
        }
        return gg / curvature;
    }
}
