package dev.lamina.runtime.train;

/** Adam, with bias-corrected moments; with {@code weightDecay > 0} it is AdamW (decay on weights only). */
final class Adam extends Optimizer {
    private final double rho1;
    private final double rho2;
    private final float delta;
    private final float weightDecay;

    Adam(double learningRate, double rho1, double rho2, double delta, double weightDecay) {
        super(learningRate);
        this.rho1 = rho1;
        this.rho2 = rho2;
        this.delta = (float) delta;
        this.weightDecay = (float) weightDecay;
    }

    @Override
    public Rule rule() {
        return new Rule("adam", 0, rho1, rho2, delta, weightDecay);
    }

    @Override
    protected int stateSlots() {
        return 2;
    }

    @Override
    protected void update(float[] p, float[] g, float[] s, float[] r, int from, int to, boolean weight,
                          float lr) {
        float b1 = (float) rho1;
        float b2 = (float) rho2;
        float correct1 = (float) (1 / (1 - Math.pow(rho1, steps())));
        float correct2 = (float) (1 / (1 - Math.pow(rho2, steps())));
        float decay = weight ? 1f - lr * weightDecay : 1f;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float si = b1 * s[i] + (1 - b1) * gi;
            float ri = b2 * r[i] + (1 - b2) * gi * gi;
            s[i] = si;
            r[i] = ri;
            p[i] = decay * p[i] - lr * (si * correct1) / ((float) Math.sqrt(ri * correct2) + delta);
        }
    }
}
