package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import java.util.Arrays;

/**
 * An input that makes one unit of a layer, or one channel on average, as large as it can (Erhan et al. 2009;
 * Simonyan et al. 2014 for class scores): gradient ascent on the input, from seeded small noise (around the middle
 * of the valid range), with Adam steps on
 * the pixels, an L2 decay that keeps the image from growing without bound, and optionally a blur every few steps
 * and clipping to a valid range, both of which keep the high-frequency patterns that any network responds to out
 * of the picture. The gradient comes from {@link Layer#addGradient} (one-hot at the unit, or {@code 1 / positions}
 * over the channel's positions) and a backward pass from a zero output gradient; in inference mode (the model's
 * mode and input-gradient setting are restored after). Deterministic for a given seed.
 */
public final class ActivationMaximisation {
    private final Model model;
    private final Layer layer;
    private final int layerSize;
    private int unit = -1;
    private int channel = -1;
    private int steps = 200;
    private double learningRate = 0.05;
    private double l2 = 1e-3;
    private int blurEvery;
    private double low = Double.NEGATIVE_INFINITY;
    private double high = Double.POSITIVE_INFINITY;
    private long seed = 1;
    private double startScale = 0.1;

    private ActivationMaximisation(Model model, Layer layer) {
        this.model = model;
        this.layer = layer;
        this.layerSize = Arrays.stream(layer.outputShape()).reduce(1, Math::multiplyExact);
    }

    /**
     * Maximises a unit or channel of {@code layer}, one of {@code model}'s layers; say which with {@link #unit} or
     * {@link #channel}.
     *
     * @param model the network
     * @param layer one of its layers
     * @return the search, to be configured and {@link #run()}
     * @throws IllegalArgumentException when the layer belongs to another network
     */
    public static ActivationMaximisation of(Model model, Layer layer) {
        InputGradients.checkLayer(model, layer);
        return new ActivationMaximisation(model, layer);
    }

    /**
     * Maximises value {@code index} of the layer's output, channels first (a class score, a hidden unit).
     *
     * @param index the value's index in the layer's output, channels first
     * @return this search
     */
    public ActivationMaximisation unit(int index) {
        if (index < 0 || index >= layerSize) {
            throw new IllegalArgumentException("expected a unit in [0, " + layerSize + ") of layer '" + layer.name()
                    + "' " + Arrays.toString(layer.outputShape()) + ", found " + index);
        }
        this.unit = index;
        this.channel = -1;
        return this;
    }

    /**
     * Maximises the mean of channel {@code c} of an image layer's output over its positions.
     *
     * @param c the channel, from 0
     * @return this search
     */
    public ActivationMaximisation channel(int c) {
        int[] shape = layer.outputShape();
        if (shape.length != 3) {
            throw new IllegalArgumentException("expected an image layer [channels, height, width] for a channel, "
                    + "found layer '" + layer.name() + "' " + Arrays.toString(shape) + "; use unit(index)");
        }
        if (c < 0 || c >= shape[0]) {
            throw new IllegalArgumentException("expected a channel in [0, " + shape[0] + ") of layer '"
                    + layer.name() + "', found " + c);
        }
        this.channel = c;
        this.unit = -1;
        return this;
    }

    /**
     * Gradient steps (200 by default).
     *
     * @param steps the number of steps; at least 1
     * @return this search
     */
    public ActivationMaximisation steps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("expected at least one step, found " + steps);
        }
        this.steps = steps;
        return this;
    }

    /**
     * Adam's step size, in input units (0.05 by default).
     *
     * @param learningRate the step size; positive
     * @return this search
     */
    public ActivationMaximisation learningRate(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("expected a finite learning rate > 0, found " + learningRate);
        }
        this.learningRate = learningRate;
        return this;
    }

    /**
     * The L2 decay: the objective is {@code activation - l2 / 2 * |x|^2} (1e-3 by default; 0 for none).
     *
     * @param l2 the decay; at least 0
     * @return this search
     */
    public ActivationMaximisation l2(double l2) {
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("expected a finite L2 decay >= 0, found " + l2);
        }
        this.l2 = l2;
        return this;
    }

    /**
     * Blurs each channel with the 3x3 binomial kernel after every {@code every}-th step (0: never, the default);
     * image inputs only.
     *
     * @param every steps between blurs; 0 for none
     * @return this search
     */
    public ActivationMaximisation blurEvery(int every) {
        if (every < 0) {
            throw new IllegalArgumentException("expected a blur interval >= 0 steps, found " + every);
        }
        if (every > 0) {
            InputGradients.imageShape(model);
        }
        this.blurEvery = every;
        return this;
    }

    /**
     * Clips the input to {@code [low, high]} after every step (unclipped by default).
     *
     * @param low the smallest input value
     * @param high the largest input value
     * @return this search
     */
    public ActivationMaximisation range(double low, double high) {
        if (!(low < high) || Double.isNaN(low) || Double.isNaN(high)) {
            throw new IllegalArgumentException("expected a range with low < high, found [" + low + ", " + high + "]");
        }
        this.low = low;
        this.high = high;
        return this;
    }

    /**
     * The seed of the starting noise (1 by default).
     *
     * @param seed any value
     * @return this search
     */
    public ActivationMaximisation seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * The starting image: Gaussian noise of this standard deviation (0.1 by default) around the middle of the
     * range (around 0 when unclipped), clipped to the range.
     *
     * @param scale the noise's standard deviation; at least 0
     * @return this search
     */
    public ActivationMaximisation startScale(double scale) {
        if (!(scale >= 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("expected a finite start scale >= 0, found " + scale);
        }
        this.startScale = scale;
        return this;
    }

    /** {@return the image the ascent starts from: seeded noise around the middle of the range, clipped} */
    public float[] start() {
        Rng rng = new Rng(seed);
        double middle = Double.isInfinite(low) || Double.isInfinite(high) ? 0 : (low + high) / 2;
        float[] x = new float[model.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = clip(middle + startScale * rng.nextGaussian());
        }
        return x;
    }

    /**
     * Runs the ascent from {@link #start()}; returns the image ({@code inputSize} values, channels first).
     *
     * @return the image found
     */
    public float[] run() {
        float[] objective = objectiveGradient();
        float[] x = start();
        PixelAdam adam = new PixelAdam(x.length, learningRate);
        double[] descent = new double[x.length];
        int[] shape = model.inputShape();
        try (InputGradients run = InputGradients.open(model)) {
            for (int t = 1; t <= steps; t++) {
                run.forward(x, 1);
                layer.addGradient(objective);
                float[] gradient = run.backwardFromLayers(1);
                for (int i = 0; i < x.length; i++) {
                    descent[i] = l2 * x[i] - gradient[i];
                }
                adam.step(x, descent);
                if (blurEvery > 0 && t % blurEvery == 0) {
                    Blur.binomial3x3(x, shape[0], shape[1], shape[2]);
                }
                for (int i = 0; i < x.length; i++) {
                    x[i] = clip(x[i]);
                }
            }
        }
        return x;
    }

    /**
     * {@return the maximised unit's value (or channel's mean) for one input image, in inference mode}
     *
     * @param image one input, channels first
     */
    public double activation(float[] image) {
        InputGradients.checkInputs(model, image, 1);
        float[] objective = objectiveGradient();
        float[] output;
        try (InputGradients run = InputGradients.open(model)) {
            run.forward(image, 1);
            output = layer.output().copy();
        }
        double sum = 0;
        for (int i = 0; i < layerSize; i++) {
            sum += (double) objective[i] * output[i];
        }
        return sum;
    }

    /** The objective's gradient at the layer's output: one-hot at the unit, or 1 / positions over the channel. */
    private float[] objectiveGradient() {
        float[] g = new float[layerSize];
        if (unit >= 0) {
            g[unit] = 1;
        } else if (channel >= 0) {
            int positions = layerSize / layer.outputShape()[0];
            Arrays.fill(g, channel * positions, (channel + 1) * positions, 1f / positions);
        } else {
            throw new IllegalStateException("say what to maximise in layer '" + layer.name() + "': unit(index) or "
                    + "channel(c)");
        }
        return g;
    }

    private float clip(double value) {
        return (float) Math.min(Math.max(value, low), high);
    }
}
