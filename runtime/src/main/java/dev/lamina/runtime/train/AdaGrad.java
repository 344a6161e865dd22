package dev.lamina.runtime.train;

import java.nio.FloatBuffer;

/** AdaGrad: per-parameter rates shrinking with the sum of squared gradients. */
final class AdaGrad extends Optimizer {
    private final float delta;

    AdaGrad(double learningRate, double delta) {
        super(learningRate);
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
            float ri = r.get(i) + gi * gi;
            r.put(i, ri);
            p.put(i, p.get(i) - lr * gi / (delta + (float) Math.sqrt(ri)));
        }
    }
}
