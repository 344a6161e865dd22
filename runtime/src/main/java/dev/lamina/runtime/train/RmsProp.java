package dev.lamina.runtime.train;

import java.nio.FloatBuffer;

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
    protected int stateSlots() {
        return 1;
    }

    @Override
    protected void update(FloatBuffer p, FloatBuffer g, FloatBuffer r, FloatBuffer unused, int from, int to,
                          boolean weight, float lr) {
        for (int i = from; i < to; i++) {
            float gi = g.get(i);
            float ri = rho * r.get(i) + (1 - rho) * gi * gi;
            r.put(i, ri);
            p.put(i, p.get(i) - lr * gi / (float) Math.sqrt(delta + ri));
        }
    }
}
