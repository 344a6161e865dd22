package dev.lamina.runtime.train;

/** Gradient descent, with momentum or Nesterov momentum when {@code momentum > 0}. */
final class Sgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;

    Sgd(double learningRate, double momentum, boolean nesterov) {
        super(learningRate);
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
    }

    @Override
    public Rule rule() {
        return new Rule(nesterov ? "nesterov" : "sgd", momentum, 0, 0, 0, 0);
    }

    @Override
    protected int stateSlots() {
        return momentum > 0 ? 1 : 0;
    }

    @Override
    protected void update(float[] p, float[] g, float[] v, float[] unused, int from, int to, boolean weight,
                          float lr) {
        if (momentum == 0f) {
            for (int i = from; i < to; i++) {
                p[i] = p[i] - lr * g[i];
            }
        } else if (!nesterov) {
            for (int i = from; i < to; i++) {
                float vi = momentum * v[i] - lr * g[i];
                v[i] = vi;
                p[i] = p[i] + vi;
            }
        } else {
            for (int i = from; i < to; i++) {
                float step = lr * g[i];
                float vi = momentum * v[i] - step;
                v[i] = vi;
                p[i] = p[i] + momentum * vi - step;
            }
        }
    }
}
