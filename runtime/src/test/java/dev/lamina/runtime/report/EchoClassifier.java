package dev.lamina.runtime.report;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.data.Dataset;
import java.util.Arrays;

/**
 * A classifier of three classes whose scores are its inputs and whose one weight is never used: training runs its
 * loop without learning, and predictions are whatever the features say, so a report has a history, curves and a
 * confusion matrix to show.
 */
final class EchoClassifier implements Model {
    private static final int CLASSES = 3;
    private final NetworkState state = new NetworkState("echo <b>&amp;</b>", Loss.SOFTMAX_CROSS_ENTROPY,
            new int[] {CLASSES}, CLASSES, 1, 0, CLASSES, 0);
    private float[] x = new float[0];

    EchoClassifier() {
        state.parameter("d.weight", Tensor.Kind.WEIGHT, new int[] {1, 1}, 0, 1f);
        state.layer("d", "Dense", new int[] {CLASSES});
        state.initialize(3);
    }

    /** {@code n} samples of class {@code i % 3}, their features the one-hot target plus a wrong class every 4th. */
    static Dataset samples(int n) {
        float[] features = new float[n * CLASSES];
        float[] targets = new float[n * CLASSES];
        for (int i = 0; i < n; i++) {
            targets[i * CLASSES + i % CLASSES] = 1;
            features[i * CLASSES + (i % 4 == 3 ? (i + 1) % CLASSES : i % CLASSES)] = 1;
        }
        return new Dataset(features, new int[] {CLASSES}, targets, CLASSES);
    }

    @Override
    public NetworkState state() {
        return state;
    }

    @Override
    public void setInput(int row, float[] sample, int offset) {
        if (x.length < (row + 1) * CLASSES) {
            x = Arrays.copyOf(x, (row + 1) * CLASSES);
        }
        System.arraycopy(sample, offset, x, row * CLASSES, CLASSES);
    }

    @Override
    public void forward(int batch) {
    }

    @Override
    public double loss(int batch) {
        return 0.5;
    }

    @Override
    public void backward(int batch) {
    }

    @Override
    public float output(int row, int k) {
        return x[row * CLASSES + k];
    }
}
