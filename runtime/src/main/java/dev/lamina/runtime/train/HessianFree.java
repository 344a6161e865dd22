package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hessian-free optimisation (Martens 2010), a truncated Newton method: each step solves {@code (C + lambda I) d =
 * -g} approximately on the trainer's current batch by conjugate gradient, with products {@code C v} the processor
 * generates for a network declared {@code @Network(secondOrder = true)}, and moves the parameters by {@code d}. The
 * curvature {@code C} is a choice ({@link #curvature(Curvature)}):
 * <ul>
 *   <li>{@link Curvature#GAUSS_NEWTON}, the default (Martens' choice): {@code G = J^T H_loss J} ({@link
 *   Model#gaussNewtonVectorProduct}), positive semidefinite, so CG on it is well posed and every iterate lowers the
 *   quadratic model;</li>
 *   <li>{@link Curvature#EXACT}: the exact Hessian {@code H} ({@link Model#hessianVectorProduct}), indefinite away
 *   from a minimum, where CG stops on negative curvature.</li>
 * </ul>
 * <ul>
 *   <li>CG runs at most {@link #cgIterations()} iterations, starts from the previous step's direction times
 *   {@link #warmStartDecay()}, and stops early when the residual falls below {@code 1e-6 |g|} or when a search
 *   direction {@code p} has {@code p^T (C + lambda I) p <= 0} (negative curvature: the iterate reached so far is
 *   kept; the exact {@code H} of a network is indefinite, so this happens with little damping).</li>
 *   <li>Among the CG iterates kept (iterations 1, 2, 4, 7, 12, ... and the last), it backtracks from the last to
 *   the earlier ones while the loss on the batch keeps falling, as Martens does.</li>
 *   <li>The Levenberg-Marquardt damping {@code lambda} follows the reduction ratio {@code rho = (f(theta + d) -
 *   f(theta)) / (g^T d + d^T C d / 2)} of the chosen iterate: times 3/2 when {@code rho < 1/4}, times 2/3 when
 *   {@code rho > 3/4}, never below {@link #minimumDamping(double)} (0 by default).</li>
 *   <li>With the line search on (the default), the step {@code a d} is shrunk by halves ({@code a = 1, 1/2, ...},
 *   at most 8 times) until {@code f(theta + a d) <= f(theta) + 0.01 a g^T d}; when none passes, no step is taken.
 *   The learning rate scales {@code d} (1 by default: a Newton step needs none).</li>
 * </ul>
 * A step costs one product per CG iteration (about two gradients each) and one forward pass per loss it tries.
 * It minimises the network's own loss ({@link Model#loss}): a loss written in Java ({@link Trainer#loss}) is not
 * what it measures, and a regularizer's gradient enters {@code g} but not the loss. The trial forward passes draw
 * the dropout masks of the trainer's pass again, and the batch statistics and dropout position they move are put
 * back. A {@link TrainingCheckpoint} saves what carries from step to step (the damping, the warm start, the last
 * step's figures) with the curvature chosen, so a resumed run goes on bit for bit; it refuses a checkpoint of the
 * other curvature.
 * Larger batches than for SGD suit it: the curvature of a small batch is noisy.
 */
public final class HessianFree extends Optimizer {
    /** The curvature matrix CG solves with. */
    public enum Curvature {
        /** The Gauss-Newton matrix {@code J^T H_loss J}: positive semidefinite (the default). */
        GAUSS_NEWTON,
        /** The exact Hessian of the loss: indefinite in general. */
        EXACT
    }

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
    private Curvature curvature = Curvature.GAUSS_NEWTON;
    private double minimumDamping;
    /** Set when a checkpoint restored {@link #previous}: the next step keeps it although it sets the positions up. */
    private boolean restoredWarmStart;
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

    /**
     * Chooses the curvature matrix CG solves with ({@link Curvature#GAUSS_NEWTON} by default).
     *
     * @param choice the curvature
     * @return this optimizer
     */
    public HessianFree curvature(Curvature choice) {
        if (choice == null) {
            throw new IllegalArgumentException("expected a curvature (GAUSS_NEWTON or EXACT), found null");
        }
        this.curvature = choice;
        return this;
    }

    /**
     * Sets the least damping the rule may lower {@code lambda} to (0 by default: no floor). On mini-batches the
     * quadratic model of the batch a step is fitted to predicts that batch well, so {@code rho} stays near 1 and the
     * damping falls without end; the near-Newton steps that follow fit each batch and not the data. A floor keeps
     * every step regularised.
     *
     * @param lambda the floor, at least 0
     * @return this optimizer
     */
    public HessianFree minimumDamping(double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("expected a finite minimum damping of at least 0, got " + lambda);
        }
        this.minimumDamping = lambda;
        return this;
    }

    /** {@return the least damping the rule may lower lambda to} */
    public double minimumDamping() {
        return minimumDamping;
    }

    /** {@return the curvature matrix CG solves with} */
    public Curvature curvature() {
        return curvature;
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
        restoredWarmStart = false;
        damping = initialDamping;
        lastReductionRatio = Double.NaN;
    }

    /** Writes what carries between steps, after the settings it belongs to (checked when read back). */
    @Override
    void writeExtraState(DataOutputStream out) throws IOException {
        out.writeUTF(curvature.name());
        out.writeDouble(damping);
        out.writeDouble(lastReductionRatio);
        out.writeInt(lastCgIterations);
        out.writeDouble(lastStepSize);
        out.writeBoolean(lastNegativeCurvature);
        out.writeInt(previous == null ? -1 : previous.length);
        for (double v : previous == null ? new double[0] : previous) {
            out.writeDouble(v);
        }
    }

    @Override
    void readExtraState(DataInputStream in, String source) throws IOException {
        String saved = in.readUTF();
        if (!saved.equals(curvature.name())) {
            throw new IOException(source + ": expected the state of a Hessian-free optimizer on the " + curvature
                    + " curvature, found one on " + saved);
        }
        double savedDamping = in.readDouble();
        double rho = in.readDouble();
        int iterations = in.readInt();
        double size = in.readDouble();
        boolean negative = in.readBoolean();
        int length = in.readInt();
        if (length < -1 || length > in.available() / Double.BYTES) {
            throw new IOException(source + ": expected a warm start of at most " + in.available() / Double.BYTES
                    + " values, found a length of " + length);
        }
        double[] warm = length < 0 ? null : new double[length];
        for (int k = 0; k < length; k++) {
            warm[k] = in.readDouble();
        }
        damping = savedDamping;
        lastReductionRatio = rho;
        lastCgIterations = iterations;
        lastStepSize = size;
        lastNegativeCurvature = negative;
        previous = warm;
        restoredWarmStart = warm != null;
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
            if (!restoredWarmStart || previous.length != positions.length) {
                previous = null;
            }
        }
        restoredWarmStart = false;
        Products products = new Products(model, n, positions, curvature);
        double[] g = products.gradient();
        double loss = model.loss(n);
        Solution solution = solve(products, g);
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
        damping = Math.max(minimumDamping, adaptDamping(damping, lastReductionRatio));
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

    /** Conjugate gradient on {@code (C + lambda I) x = -g}, from the warm start. */
    private Solution solve(Products curvature, double[] g) {
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

    /** A CG iterate {@code x}, with {@code g^T x} and {@code x^T C x} (undamped) for its predicted reduction. */
    private record Iterate(double[] x, double gradientDot, double curvature) {
    }

    private record Solution(List<Iterate> iterates, int iterations, boolean negativeCurvature) {
    }

    /** The products {@code (C + lambda I) v} on the optimised values, by the generated R-passes. */
    private static final class Products {
        private final Model model;
        private final int n;
        private final int[] positions;
        private final Curvature curvature;
        private final double[] full;
        private final double[] product;

        Products(Model model, int n, int[] positions, Curvature curvature) {
            this.model = model;
            this.n = n;
            this.positions = positions;
            this.curvature = curvature;
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
                if (curvature == Curvature.GAUSS_NEWTON) {
                    model.gaussNewtonVectorProduct(n, full, product);
                } else {
                    model.hessianVectorProduct(n, full, product);
                }
            } catch (UnsupportedOperationException e) {
                throw new UnsupportedOperationException("Hessian-free optimisation needs the curvature products the"
                        + " processor generates for @Network(secondOrder = true): " + e.getMessage(), e);
            }
            for (int k = 0; k < positions.length; k++) {
                out[k] = product[positions[k]] + lambda * v[k];
            }
        }
    }
}
