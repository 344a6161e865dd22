package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Neural style transfer (Gatys, Ecker and Bethge 2016): an image whose features on one layer match a content
 * image's and whose Gram matrices on several layers match a style image's, found by optimising the pixels, starting
 * from the content image. The losses, on one sample's layer outputs {@code F} (channels first, {@code channels x
 * positions}):
 * <ul>
 *   <li>content: the mean squared difference between {@code F} and the content image's {@code P} on the content
 *       layer, gradient {@code 2 (F - P) / size};
 *   <li>style, per style layer: the mean squared difference between the Gram matrices ({@link GramMatrix})
 *       {@code G} and the style image's {@code A}, gradient {@code 4 (G - A) F / (positions channels^2)};
 *   <li>total: {@code contentWeight * content + sum(styleWeight_l * style_l)}.
 * </ul>
 * Each step runs one forward pass, hands each layer its gradient through {@link Layer#addGradient}, runs the
 * backward pass from a zero output gradient to the input, and takes an Adam step on the pixels, clipped to the
 * {@link #range}. Everything runs in inference mode (the model's mode and input-gradient setting are restored
 * after), so the result is deterministic. The layers must keep outputs of their own ({@link Layer#output()}: a
 * network with {@code fuse = false} keeps all).
 */
public final class StyleTransfer {
    private final Model model;
    private Layer contentLayer;
    private double contentWeight = 1;
    private final List<Layer> styleLayers = new ArrayList<>();
    private final List<Double> styleWeights = new ArrayList<>();
    private int steps = 200;
    private double learningRate = 0.02;
    private double low = Double.NEGATIVE_INFINITY;
    private double high = Double.POSITIVE_INFINITY;

    /**
     * The losses of one image: content, each style layer's (in the order given), and the weighted total.
     *
     * @param content the content loss
     * @param style each style layer's loss, in the order the layers were given
     * @param total the weighted sum
     */
    public record Losses(double content, double[] style, double total) {
    }

    private StyleTransfer(Model model) {
        this.model = model;
    }

    /**
     * Style transfer through {@code model}'s layers; name the content layer and at least one style layer.
     *
     * @param model the network whose layers measure content and style
     * @return the transfer, to be configured
     */
    public static StyleTransfer of(Model model) {
        InputGradients.imageShape(model);
        return new StyleTransfer(model);
    }

    /**
     * The layer whose output the result shares with the content image, and the content loss's weight.
     *
     * @param layer the content layer
     * @param weight the content loss's weight
     * @return this transfer
     */
    public StyleTransfer content(Layer layer, double weight) {
        InputGradients.checkLayer(model, layer);
        this.contentLayer = layer;
        this.contentWeight = checkWeight(weight);
        return this;
    }

    /**
     * Adds a layer whose Gram matrix the result shares with the style image, and that loss's weight.
     *
     * @param layer a style layer
     * @param weight its loss's weight
     * @return this transfer
     */
    public StyleTransfer style(Layer layer, double weight) {
        InputGradients.checkLayer(model, layer);
        if (layer.outputShape().length != 3) {
            throw new IllegalArgumentException("expected an image layer [channels, height, width] for a style loss, "
                    + "found layer '" + layer.name() + "' " + Arrays.toString(layer.outputShape()));
        }
        styleLayers.add(layer);
        styleWeights.add(checkWeight(weight));
        return this;
    }

    /**
     * Optimisation steps (200 by default).
     *
     * @param steps the number of steps; at least 1
     * @return this transfer
     */
    public StyleTransfer steps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("expected at least one step, found " + steps);
        }
        this.steps = steps;
        return this;
    }

    /**
     * Adam's step size, in pixel units (0.02 by default).
     *
     * @param learningRate the step size; positive
     * @return this transfer
     */
    public StyleTransfer learningRate(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("expected a finite learning rate > 0, found " + learningRate);
        }
        this.learningRate = learningRate;
        return this;
    }

    /**
     * Clips the pixels to {@code [low, high]} after every step (unclipped by default).
     *
     * @param low the smallest pixel value
     * @param high the largest pixel value
     * @return this transfer
     */
    public StyleTransfer range(double low, double high) {
        if (!(low < high) || Double.isNaN(low) || Double.isNaN(high)) {
            throw new IllegalArgumentException("expected a range with low < high, found [" + low + ", " + high + "]");
        }
        this.low = low;
        this.high = high;
        return this;
    }

    /**
     * {@return the image (channels first, one sample) that mixes {@code content}'s content and {@code style}'s style}
     *
     * @param content the content image, channels first
     * @param style the style image, channels first
     */
    public float[] run(float[] content, float[] style) {
        checkReady(content, style);
        float[] x = content.clone();
        PixelAdam adam = new PixelAdam(x.length, learningRate);
        double[] descent = new double[x.length];
        try (InputGradients run = InputGradients.open(model)) {
            Targets targets = targets(run, content, style);
            for (int t = 0; t < steps; t++) {
                run.forward(x, 1);
                losses(targets, true);
                float[] gradient = run.backwardFromLayers(1);
                for (int i = 0; i < x.length; i++) {
                    descent[i] = gradient[i];
                }
                adam.step(x, descent);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) Math.min(Math.max(x[i], low), high);
                }
            }
        }
        return x;
    }

    /**
     * {@return the losses of {@code image} against {@code content} and {@code style}, as {@link #run} minimises them}
     *
     * @param image the image measured
     * @param content the content image
     * @param style the style image
     */
    public Losses losses(float[] image, float[] content, float[] style) {
        checkReady(content, style);
        InputGradients.checkInputs(model, image, 1);
        try (InputGradients run = InputGradients.open(model)) {
            Targets targets = targets(run, content, style);
            run.forward(image, 1);
            return losses(targets, false);
        }
    }

    /** The content layer's output for the content image and each style layer's Gram matrix for the style image. */
    private record Targets(float[] content, List<double[]> grams) {
    }

    private Targets targets(InputGradients run, float[] content, float[] style) {
        run.forward(content, 1);
        float[] p = contentLayer.output().copy();
        run.forward(style, 1);
        List<double[]> grams = new ArrayList<>();
        for (Layer layer : styleLayers) {
            int[] s = layer.outputShape();
            grams.add(GramMatrix.of(layer.output().copy(), 0, s[0], s[1] * s[2]));
        }
        return new Targets(p, grams);
    }

    /** The losses of the last forward pass; with {@code addGradients}, hands each layer its loss's gradient. */
    private Losses losses(Targets targets, boolean addGradients) {
        float[] f = contentLayer.output().copy();
        double content = 0;
        float[] contentGradient = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            double d = f[i] - targets.content()[i];
            content += d * d;
            contentGradient[i] = (float) (contentWeight * 2 * d / f.length);
        }
        content /= f.length;
        double total = contentWeight * content;
        double[] style = new double[styleLayers.size()];
        List<float[]> styleGradients = new ArrayList<>();
        for (int l = 0; l < styleLayers.size(); l++) {
            int[] s = styleLayers.get(l).outputShape();
            int channels = s[0];
            int positions = s[1] * s[2];
            float[] maps = styleLayers.get(l).output().copy();
            double[] gram = GramMatrix.of(maps, 0, channels, positions);
            double[] target = targets.grams().get(l);
            style[l] = GramMatrix.meanSquaredDifference(gram, target);
            total += styleWeights.get(l) * style[l];
            if (addGradients) {
                styleGradients.add(styleGradient(maps, gram, target, channels, positions, styleWeights.get(l)));
            }
        }
        if (addGradients) {
            // after every read: a layer's output view stays valid until the next forward pass, gradients or not
            contentLayer.addGradient(contentGradient);
            for (int l = 0; l < styleLayers.size(); l++) {
                styleLayers.get(l).addGradient(styleGradients.get(l));
            }
        }
        return new Losses(content, style, total);
    }

    /** {@code weight * 4 (G - A) F / (positions channels^2)}, channels first. */
    private static float[] styleGradient(float[] maps, double[] gram, double[] target, int channels, int positions,
                                         double weight) {
        double scale = weight * 4 / ((double) positions * channels * channels);
        float[] g = new float[maps.length];
        double[] row = new double[positions];
        for (int c = 0; c < channels; c++) {
            Arrays.fill(row, 0);
            for (int d = 0; d < channels; d++) {
                double diff = gram[c * channels + d] - target[c * channels + d];
                int from = d * positions;
                for (int p = 0; p < positions; p++) {
                    row[p] += diff * maps[from + p];
                }
            }
            for (int p = 0; p < positions; p++) {
                g[c * positions + p] = (float) (scale * row[p]);
            }
        }
        return g;
    }

    private void checkReady(float[] content, float[] style) {
        if (contentLayer == null || styleLayers.isEmpty()) {
            throw new IllegalStateException("expected a content layer and at least one style layer, found "
                    + (contentLayer == null ? "no content layer" : "content layer '" + contentLayer.name() + "'")
                    + " and " + styleLayers.size() + " style layers");
        }
        InputGradients.checkInputs(model, content, 1);
        InputGradients.checkInputs(model, style, 1);
    }

    private static double checkWeight(double weight) {
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("expected a finite weight >= 0, found " + weight);
        }
        return weight;
    }
}
