package dev.lamina.runtime.analysis.hessian;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The top eigenvalues of the Hessian by power iteration with deflation (as PyHessian does): from a seeded Gaussian
 * start, {@code v <- H v / |H v|}, each iterate kept orthogonal to the eigenvectors already found, until the
 * Rayleigh quotient {@code v^T H v} changes by less than {@code tolerance} relative. "Top" means largest in
 * magnitude, which is what power iteration finds (for a trained network, the largest positive curvature). One
 * product per iteration.
 */
public final class PowerIteration {
    private PowerIteration() {
    }

    /**
     * The eigenpairs found.
     *
     * @param values the eigenvalues, largest magnitude first
     * @param vectors their unit eigenvectors
     * @param iterations the products each one took
     */
    public record Eigenpairs(double[] values, List<double[]> vectors, int[] iterations) {
    }

    /**
     * {@return the {@code k} eigenvalues of largest magnitude and their vectors}
     *
     * @param hvp the operator
     * @param k how many, from 1 to {@code hvp.size()}
     * @param maxIterations the most products per eigenvalue
     * @param tolerance the relative change of the Rayleigh quotient that ends an eigenvalue's iteration
     * @param seed the start vectors' seed
     */
    public static Eigenpairs top(HessianVectorProduct hvp, int k, int maxIterations, double tolerance, long seed) {
        int w = hvp.size();
        if (k < 1 || k > w) {
            throw new IllegalArgumentException("expected from 1 to " + w + " eigenvalues, found k = " + k);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("expected at least one iteration, found " + maxIterations);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[k];
        int[] iterations = new int[k];
        List<double[]> found = new ArrayList<>();
        double[] hv = new double[w];
        for (int e = 0; e < k; e++) {
            double[] v = Vectors.gaussian(w, random);
            orthonormalise(v, found);
            double lambda = 0;
            int it = 0;
            while (it < maxIterations) {
                hvp.apply(v, hv);
                it++;
                double next = Vectors.dot(v, hv);
                orthonormalise(hv, found);
                double converged = Math.abs(next - lambda);
                lambda = next;
                if (Vectors.norm(hv) == 0) {
                    break;
                }
                System.arraycopy(hv, 0, v, 0, w);
                if (it > 1 && converged <= tolerance * Math.abs(lambda)) {
                    break;
                }
            }
            values[e] = lambda;
            iterations[e] = it;
            found.add(v.clone());
        }
        return new Eigenpairs(values, List.copyOf(found), iterations);
    }

    /** Removes the components along {@code basis} (orthonormal), then scales to unit length (if not zero). */
    private static void orthonormalise(double[] v, List<double[]> basis) {
        for (int pass = 0; pass < 2; pass++) { // twice: one pass leaves rounding along the basis
            for (double[] u : basis) {
                Vectors.addScaled(v, -Vectors.dot(u, v), u);
            }
        }
        double norm = Vectors.norm(v);
        if (norm > 0) {
            Vectors.scale(v, 1 / norm);
        }
    }
}
