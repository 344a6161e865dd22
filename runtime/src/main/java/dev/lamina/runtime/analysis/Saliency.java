package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Model;

/**
 * Saliency maps (Simonyan et al. 2014): how strongly each pixel moves a class score, {@code |d score_class /
 * d pixel|}, the largest over the pixel's channels. One backward pass for the whole batch, from an output gradient
 * that is 1 at each sample's class and 0 elsewhere; in inference mode (the model's mode and input-gradient setting
 * are restored after).
 */
public final class Saliency {
    private Saliency() {
    }

    /**
     * {@return the saliency maps of the {@code n} images stored one after another in {@code x} (channels first) for the
     * classes {@code classes[r]}: {@code n x height x width} values, each {@code >= 0}}
     *
     * @param model the classifier
     * @param x the images, one after another
     * @param n the number of images
     * @param classes each image's class of interest
     * @throws IllegalArgumentException when the input is not an image, the output is not a vector of scores, {@code x}
     *     does not hold {@code n} samples, or a class is out of range
     */
    public static float[] of(Model model, float[] x, int n, int[] classes) {
        int[] shape = InputGradients.imageShape(model);
        InputGradients.checkInputs(model, x, n);
        if (model.outputShape().length != 1) {
            throw new IllegalArgumentException("expected a network whose output is a vector of class scores, found "
                    + "output shape " + java.util.Arrays.toString(model.outputShape()) + " in " + model.name());
        }
        if (classes.length != n) {
            throw new IllegalArgumentException("expected one class per sample (" + n + "), found " + classes.length);
        }
        int out = model.outputSize();
        float[] seed = new float[n * out];
        for (int r = 0; r < n; r++) {
            if (classes[r] < 0 || classes[r] >= out) {
                throw new IllegalArgumentException("expected a class in [0, " + out + ") for sample " + r
                        + ", found " + classes[r]);
            }
            seed[r * out + classes[r]] = 1;
        }
        float[] gradient;
        try (InputGradients run = InputGradients.open(model)) {
            run.forward(x, n);
            gradient = run.backward(n, seed);
        }
        return maxOverChannels(gradient, n, shape[0], shape[1] * shape[2]);
    }

    /**
     * {@return the saliency maps for each image's predicted class ({@link Model#classify})}
     *
     * @param model the classifier
     * @param x the images, one after another
     * @param n the number of images
     */
    public static float[] ofPredicted(Model model, float[] x, int n) {
        return of(model, x, n, model.classify(x, n));
    }

    /** {@code max_c |g[r, c, p]|} for every row {@code r} and position {@code p} of channels-first gradients. */
    static float[] maxOverChannels(float[] gradient, int n, int channels, int positions) {
        float[] maps = new float[n * positions];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < channels; c++) {
                int from = (r * channels + c) * positions;
                for (int p = 0; p < positions; p++) {
                    maps[r * positions + p] = Math.max(maps[r * positions + p], Math.abs(gradient[from + p]));
                }
            }
        }
        return maps;
    }
}
