package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;

/** Accuracy over a data set whose inputs are changed batch by batch before they are classified. */
final class AttackedAccuracy {
    /** Changes a batch of {@code n} inputs knowing their targets; returns the changed inputs. */
    interface Perturbation {
        float[] apply(float[] x, float[] targets, int n);
    }

    private AttackedAccuracy() {
    }

    /**
     * The share of {@code data}'s rows whose perturbed input {@link Model#classify} assigns to the row's label
     * ({@link Dataset#label}), in batches of {@code batchSize}.
     */
    static double of(Model model, Dataset data, int batchSize, Perturbation perturbation) {
        if (data.featureSize() != model.inputSize() || data.targetSize() != model.outputSize()) {
            throw new IllegalArgumentException("expected a data set of " + model.inputSize() + " inputs and "
                    + model.outputSize() + " targets per row for " + model.name() + ", found " + data.featureSize()
                    + " and " + data.targetSize());
        }
        if (batchSize < 1 || data.size() < 1) {
            throw new IllegalArgumentException("expected a positive batch size and at least one row, found batches of "
                    + batchSize + " over " + data.size() + " rows");
        }
        int in = model.inputSize();
        int out = model.outputSize();
        float[] features = data.features();
        float[] targets = data.targets();
        int correct = 0;
        for (int from = 0; from < data.size(); from += batchSize) {
            int n = Math.min(batchSize, data.size() - from);
            float[] x = java.util.Arrays.copyOfRange(features, from * in, (from + n) * in);
            float[] t = java.util.Arrays.copyOfRange(targets, from * out, (from + n) * out);
            int[] classes = model.classify(perturbation.apply(x, t, n), n);
            for (int r = 0; r < n; r++) {
                correct += classes[r] == data.label(from + r) ? 1 : 0;
            }
        }
        return (double) correct / data.size();
    }
}
