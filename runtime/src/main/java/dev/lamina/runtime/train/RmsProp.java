package dev.lamina.runtime.train;

/** RMSProp: AdaGrad with an exponentially decaying average of squared gradients. */
final class RmsProp extends Optimizer {
    private final float rho;
    private final float delta;

    RmsProp(double learningRate, double rho, double delta) {
        super(learningRate);
        this.rho = (float) rho;
        this.delta = (float) delta;
    }

    @Override
    public Rule rule() {
        return new Rule("rmsprop", 0, rho, 0, delta, 0);
    }

    @Override
    protected int stateSlots() {
        return 1;
    }

    @Override
    protected void update(float[] p, float[] g, float[] r, float[] unused, int from, int to, boolean weight,
                          float lr) {
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float ri = rho * r[i] + (1 - rho) * gi * gi;
            r[i] = ri;
            p[i] = p[i] - lr * gi / (float) Math.sqrt(delta + ri);
        }
    }
}
