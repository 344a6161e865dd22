package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hessian-free optimisation (Martens 2010), a truncated Newton method: each step solves {@code (H + lambda I) d =
 * -g} approximately on the trainer's current batch by conjugate gradient, with the exact products {@code H v} the
 * processor generates for a network declared {@code @Network(secondOrder = true)} ({@link
 * Model#hessianVectorProduct}), and moves the parameters by {@code d}.
 * <ul>
 *   <li>CG runs at most {@link #cgIterations()} iterations, starts from the previous step's direction times
 *   {@link #warmStartDecay()}, and stops early when the residual falls below {@code 1e-6 |g|} or when a search
 *   direction {@code p} has {@code p^T (H + lambda I) p <= 0} (negative curvature: the iterate reached so far is
 *   kept; the exact {@code H} of a network is indefinite, so this happens with little damping).</li>
 *   <li>Among the CG iterates kept (iterations 1, 2, 4, 7, 12, ... and the last), it backtracks from the last to
 *   the earlier ones while the loss on the batch keeps falling, as Martens does.</li>
 *   <li>The Levenberg-Marquardt damping {@code lambda} follows the reduction ratio {@code rho = (f(theta + d) -
 *   f(theta)) / (g^T d + d^T H d / 2)} of the chosen iterate: times 3/2 when {@code rho < 1/4}, times 2/3 when
 *   {@code rho > 3/4}.</li>
 *   <li>With the line search on (the default), the step {@code a d} is shrunk by halves ({@code a = 1, 1/2, ...},
 *   at most 8 times) until {@code f(theta + a d) <= f(theta) + 0.01 a g^T d}; when none passes, no step is taken.
 *   The learning rate scales {@code d} (1 by default: a Newton step needs none).</li>
 * </ul>
 * A step costs one product per CG iteration (about two gradients each) and one forward pass per loss it tries.
 * It minimises the network's own loss ({@link Model#loss}): a loss written in Java ({@link Trainer#loss}) is not
 * what it measures, and a regularizer's gradient enters {@code g} but not the loss. The trial forward passes draw
 * the dropout masks of the trainer's pass again, and the batch statistics and dropout position they move are put
 * back. The damping and the warm start are not part of a training checkpoint.
 * Larger batches than for SGD suit it: the curvature of a small batch is noisy.
 */
public final class HessianFree extends Optimizer {
    private static final double RHO_LOW = 0.25;
    private static final double RHO_HIGH = 0.75;
    private static final double RAISE = 1.5;
    private static final double LOWER = 2.0 / 3.0;
    private static final double RESIDUAL_TOLERANCE = 1e-6;
    private static final double ARMIJO = 0.01;
    private static final int HALVINGS = 8;

    private final double initialDamping;
    private final int cgIterations;
    private double damping;
    private double warmStartDecay = 0.95;
    private boolean lineSearch = true;
    /** The dropout position after the trainer's forward pass of the step in progress. */
    private long[] dropout;
    /** The last step's CG solution (before the line search), on {@link #positions}; null before the first. */
    private double[] previous;
    /** Where each optimised value lives in the parameter array: the tensors not frozen, in order. */
    private int[] positions;
    private Model positionsModel;
    private Set<Tensor> positionsFrozen;
    private double lastReductionRatio = Double.NaN;
    private int lastCgIterations;
    private double lastStepSize;
    private boolean lastNegativeCurvature;

    HessianFree(double damping, int cgIterations) {
        super(1.0);
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("expected a finite damping of at least 0, got " + damping);
        }
        if (cgIterations < 1) {
            throw new IllegalArgumentException("expected at least 1 conjugate gradient iteration, got " + cgIterations);
        }
        this.initialDamping = damping;
        this.damping = damping;
        this.cgIterations = cgIterations;
    }

    /**
     * Sets the factor the previous direction is scaled by to start CG (0: start from zero).
     *
     * @param decay in [0, 1]
     * @return this optimizer
     */
    public HessianFree warmStart(double decay) {
        if (!(decay >= 0 && decay <= 1)) {
            throw new IllegalArgumentException("expected a warm-start decay in [0, 1], got " + decay);
        }
        this.warmStartDecay = decay;
        return this;
    }

    /**
     * Turns the backtracking line search on the chosen direction on or off (off: the step is taken whatever the
     * loss does, which the damping then answers).
     *
     * @param on whether to search
     * @return this optimizer
     */
    public HessianFree lineSearch(boolean on) {
        this.lineSearch = on;
        return this;
    }

    /** {@return the most conjugate gradient iterations per step} */
    public int cgIterations() {
        return cgIterations;
    }

    /** {@return the factor of the previous direction CG starts from} */
    public double warmStartDecay() {
        return warmStartDecay;
    }

    /** {@return the damping lambda the next step uses} */
    public double damping() {
        return damping;
    }

    /** {@return the last step's reduction ratio rho (actual over predicted reduction); NaN before the first} */
    public double lastReductionRatio() {
        return lastReductionRatio;
    }

    /** {@return the conjugate gradient iterations the last step ran} */
    public int lastCgIterations() {
        return lastCgIterations;
    }

    /** {@return the fraction of the chosen direction the last step took (0: none passed the line search)} */
    public double lastStepSize() {
        return lastStepSize;
    }

    /** {@return whether the last step's CG stopped on a direction of negative curvature} */
    public boolean lastNegativeCurvature() {
        return lastNegativeCurvature;
    }

    /**
     * {@return the damping after a step whose reduction ratio was {@code rho}: times 3/2 below 1/4 (or when rho is
     * not a number: the step failed), times 2/3 above 3/4, unchanged between}
     *
     * @param lambda the damping of the step
     * @param rho its reduction ratio
     */
    public static double adaptDamping(double lambda, double rho) {
        if (!(rho >= RHO_LOW)) {
            return lambda * RAISE;
        }
        return rho > RHO_HIGH ? lambda * LOWER : lambda;
    }

    @Override
    public Rule rule() {
        return new Rule("hessian-free", 0, 0, 0, 0, 0);
    }

    @Override
    protected int stateSlots() {
        return 0;
    }

    /** Never called: {@link Optimizer#step} hands the whole step to {@link #newtonStep}. */
    @Override
    protected void update(float[] p, float[] g, float[] s1, float[] s2, int from, int to, boolean weight, float lr) {
        throw new IllegalStateException("a Hessian-free step is not element-wise");
    }

    /** Forgets the warm start and the step count, and puts the damping back to its initial value. */
    @Override
    public void reset() {
        super.reset();
        previous = null;
        damping = initialDamping;
        lastReductionRatio = Double.NaN;
    }

    /** One step on the batch of the model's last forward pass, whose backward pass left the gradients. */
    void newtonStep(Model model, Set<Tensor> frozen) {
        if (model instanceof DeviceResident) {
            throw new UnsupportedOperationException("Hessian-free optimisation runs on the CPU: " + model.name()
                    + " lives on another device, whose path has no generated Hessian-vector product; train it on"
                    + " the CPU or choose another optimizer");
        }
        int n = model.state().forwardRows();
        if (n == 0) {
            throw new IllegalStateException("a Hessian-free step works on the batch of the last forward and backward"
                    + " pass, but " + model.name() + " ran no forward pass before it: run forward, loss and backward"
                    + " first (Trainer does)");
        }
        if (model != positionsModel || frozen != positionsFrozen) {
            positions = positions(model, frozen);
            positionsModel = model;
            positionsFrozen = frozen;
            previous = null;
        }
        Curvature curvature = new Curvature(model, n, positions);
        double[] g = curvature.gradient();
        double loss = model.loss(n);
        Solution solution = solve(curvature, g);
        float[] base = model.parameters().toArray();
        float[] buffers = model.buffers().toArray();
        dropout = model.state().dropoutState();
        try {
            step(model, n, g, loss, solution, base);
        } finally {
            model.buffers().floats().put(0, buffers);
            model.state().restoreDropout(dropout[0], dropout[1]);
        }
    }

    /** Backtracks over the iterates, adapts the damping, line-searches and moves the parameters. */
    private void step(Model model, int n, double[] g, double loss, Solution solution, float[] base) {
        List<Iterate> iterates = solution.iterates;
        lastCgIterations = solution.iterations;
        lastNegativeCurvature = solution.negativeCurvature;
        if (iterates.isEmpty()) {
            // negative curvature on the first direction with nothing to warm-start from: more damping next time
            lastReductionRatio = Double.NaN;
            lastStepSize = 0;
            damping = adaptDamping(damping, Double.NaN);
            previous = null;
            return;
        }
        double scale = learningRate();
        int chosen = iterates.size() - 1;
        double best = lossAt(model, n, base, scale, iterates.get(chosen).x);
        while (chosen > 0) {
            double earlier = lossAt(model, n, base, scale, iterates.get(chosen - 1).x);
            if (!(earlier < best)) {
                break;
            }
            best = earlier;
            chosen--;
        }
        Iterate it = iterates.get(chosen);
        lastReductionRatio = (best - loss) / (scale * it.gradientDot + scale * scale * it.curvature / 2);
        damping = adaptDamping(damping, lastReductionRatio);
        previous = it.x;
        double size = 1;
        if (lineSearch) {
            double slope = scale * dot(g, it.x);
            double f = best;
            int halvings = 0;
            while (!(f <= loss + ARMIJO * size * slope) && halvings < HALVINGS) {
                size /= 2;
                halvings++;
                f = lossAt(model, n, base, size * scale, it.x);
            }
            if (!(f <= loss + ARMIJO * size * slope)) {
                size = 0;
            }
        }
        lastStepSize = size;
        setParameters(model, base, size * scale, it.x);
    }

    /** Conjugate gradient on {@code (H + lambda I) x = -g}, from the warm start. */
    private Solution solve(Curvature curvature, double[] g) {
        int m = g.length;
        double lambda = damping;
        double[] x = new double[m];
        double[] ax = new double[m];
        if (previous != null && warmStartDecay > 0) {
            for (int k = 0; k < m; k++) {
                x[k] = warmStartDecay * previous[k];
            }
            curvature.apply(x, lambda, ax);
        }
        double[] r = new double[m];
        for (int k = 0; k < m; k++) {
            r[k] = -g[k] - ax[k];
        }
        double[] p = r.clone();
        double[] ap = new double[m];
        double rr = dot(r, r);
        double stop = RESIDUAL_TOLERANCE * RESIDUAL_TOLERANCE * dot(g, g);
        List<Iterate> iterates = new ArrayList<>();
        boolean warm = dot(x, x) > 0;
        if (warm) {
            iterates.add(new Iterate(x.clone(), dot(g, x), dot(x, ax) - lambda * dot(x, x)));
        }
        int iterations = 0;
        boolean negative = false;
        int nextKept = 1;
        boolean currentKept = true;
        for (int i = 1; i <= cgIterations && rr > stop; i++) {
            curvature.apply(p, lambda, ap);
            double pap = dot(p, ap);
            if (!(pap > 0)) {
                negative = true;
                break;
            }
            double alpha = rr / pap;
            for (int k = 0; k < m; k++) {
                x[k] += alpha * p[k];
                ax[k] += alpha * ap[k];
                r[k] -= alpha * ap[k];
            }
            iterations = i;
            currentKept = false;
            double rrNext = dot(r, r);
            boolean last = i == cgIterations || rrNext <= stop;
            if (i >= nextKept || last) {
                iterates.add(new Iterate(x.clone(), dot(g, x), dot(x, ax) - lambda * dot(x, x)));
                nextKept = Math.max(i + 1, (int) Math.ceil(i * 1.6));
                currentKept = true;
            }
            double beta = rrNext / rr;
            for (int k = 0; k < m; k++) {
                p[k] = r[k] + beta * p[k];
            }
            rr = rrNext;
        }
        if (!currentKept) { // stopped by negative curvature between kept iterations
            iterates.add(new Iterate(x.clone(), dot(g, x), dot(x, ax) - lambda * dot(x, x)));
        }
        return new Solution(iterates, iterations, negative);
    }

    /** The mean loss on the batch at {@code base + s x}. */
    private double lossAt(Model model, int n, float[] base, double s, double[] x) {
        setParameters(model, base, s, x);
        // the trainer's pass drew the last masks: draw them again, so the trial loss is the function H was of
        model.state().restoreDropout(dropout[0], dropout[1] - 1);
        model.forward(n);
        return model.loss(n);
    }

    private void setParameters(Model model, float[] base, double s, double[] x) {
        FloatBuffer p = model.parameters().floats();
        p.put(0, base);
        for (int k = 0; k < positions.length; k++) {
            p.put(positions[k], (float) (base[positions[k]] + s * x[k]));
        }
        model.parametersChanged();
    }

    private static int[] positions(Model model, Set<Tensor> frozen) {
        List<Tensor> tensors = model.parameterTensors();
        int size = 0;
        for (Tensor t : tensors) {
            size += frozen.contains(t) ? 0 : t.length();
        }
        if (size == 0) {
            throw new IllegalArgumentException("expected parameters to optimise in " + model.name()
                    + ", found none (all frozen or none trainable)");
        }
        int[] at = new int[size];
        int k = 0;
        for (Tensor t : tensors) {
            if (!frozen.contains(t)) {
                for (int i = 0; i < t.length(); i++) {
                    at[k++] = t.offset() + i;
                }
            }
        }
        return at;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** A CG iterate {@code x}, with {@code g^T x} and {@code x^T H x} (undamped) for its predicted reduction. */
    private record Iterate(double[] x, double gradientDot, double curvature) {
    }

    private record Solution(List<Iterate> iterates, int iterations, boolean negativeCurvature) {
    }

    /** The products {@code (H + lambda I) v} on the optimised values, by the generated R-passes. */
    private static final class Curvature {
        private final Model model;
        private final int n;
        private final int[] positions;
        private final double[] full;
        private final double[] product;

        Curvature(Model model, int n, int[] positions) {
            this.model = model;
            this.n = n;
            this.positions = positions;
            this.full = new double[model.parameterCount()];
            this.product = new double[model.parameterCount()];
        }

        double[] gradient() {
            FloatBuffer gradients = model.gradients().floats();
            double[] g = new double[positions.length];
            for (int k = 0; k < g.length; k++) {
                g[k] = gradients.get(positions[k]);
            }
            return g;
        }

        void apply(double[] v, double lambda, double[] out) {
            for (int k = 0; k < positions.length; k++) {
                full[positions[k]] = v[k];
            }
            try {
                model.hessianVectorProduct(n, full, product);
            } catch (UnsupportedOperationException e) {
                throw new UnsupportedOperationException("Hessian-free optimisation needs the exact H v products the"
                        + " processor generates for @Network(secondOrder = true): " + e.getMessage(), e);
            }
            for (int k = 0; k < positions.length; k++) {
                out[k] = product[positions[k]] + lambda * v[k];
            }
        }
    }
}
