package dev.lamina.runtime.analysis;

/**
 * Adam (Kingma and Ba 2015) on an array of input values instead of a model's parameters: what activation
 * maximisation and style transfer optimise. Minimises; its moment estimates live here, one pair per value.
 * A step moves each value by about the learning rate whatever its gradient's scale, which suits pixels, whose
 * loss gradients span orders of magnitude between layers and networks.
 */
final class PixelAdam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double DELTA = 1e-8;

    private final double learningRate;
    private final double[] first;
    private final double[] second;
    private int steps;

    PixelAdam(int size, double learningRate) {
        this.learningRate = learningRate;
        this.first = new double[size];
        this.second = new double[size];
    }

    /** One step against {@code gradient} (the derivative of what is minimised), in place on {@code x}. */
    void step(float[] x, double[] gradient) {
        steps++;
        double c1 = 1 - Math.pow(BETA1, steps);
        double c2 = 1 - Math.pow(BETA2, steps);
        for (int i = 0; i < x.length; i++) {
            first[i] = BETA1 * first[i] + (1 - BETA1) * gradient[i];
            second[i] = BETA2 * second[i] + (1 - BETA2) * gradient[i] * gradient[i];
            x[i] -= (float) (learningRate * (first[i] / c1) / (Math.sqrt(second[i] / c2) + DELTA));
        }
    }
}
