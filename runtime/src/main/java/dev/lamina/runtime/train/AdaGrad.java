package dev.lamina.runtime.train;

/** AdaGrad: per-parameter rates shrinking with the sum of squared gradients. */
final class AdaGrad extends Optimizer {
    private final float delta;

    AdaGrad(double learningRate, double delta) {
        super(learningRate);
        this.delta = (float) delta;
    }

    @Override
    public Rule rule() {
        return new Rule("adagrad", 0, 0, 0, delta, 0);
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
            float ri = r[i] + gi * gi;
            r[i] = ri;
            p[i] = p[i] - lr * gi / (delta + (float) Math.sqrt(ri));
        }
    }
}
