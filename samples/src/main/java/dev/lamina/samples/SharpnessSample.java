package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp;
import dev.lamina.runtime.analysis.hessian.GeneratedHvp;
import dev.lamina.runtime.analysis.hessian.HessianVectorProduct;
import dev.lamina.runtime.analysis.hessian.PowerIteration;
import dev.lamina.runtime.analysis.hessian.SharpnessReport;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The sharpness sample ({@code sharpness}): trains the bench LeNet (or MLP) as the bench does (or, without
 * Fashion-MNIST, the digits CNN), saves its checkpoint in PyTorch's layouts, and reports the Hessian's top eigenvalues and trace
 * ({@link SharpnessReport}) of the mean cross-entropy on the first test images, in inference mode; PyTorch's side
 * is {@code src/test/python/torch_sharpness.py}. {@link #cost} times one gradient against one {@code H v}.
 */
final class SharpnessSample {
    /** The seed of the start vectors and of Hutchinson's vectors. */
    static final long SEED = 0;

    private SharpnessSample() {
    }

    /**
     * A fixed batch: {@code n} samples, inputs and one-hot targets one after another.
     *
     * @param inputs the inputs
     * @param targets the targets
     * @param n the number of samples
     */
    record Batch(float[] inputs, float[] targets, int n) {
        /** {@return the first {@code n} rows of {@code data}} */
        static Batch first(Dataset data, int n) {
            if (n < 1 || n > data.size()) {
                throw new IllegalArgumentException("expected a batch of 1 to " + data.size() + " samples, found "
                        + n);
            }
            Dataset rows = data.slice(0, n);
            return new Batch(rows.features(), rows.targets(), n);
        }
    }

    /**
     * A trained network and its data.
     *
     * @param model the network
     * @param test its test set, whose first rows make the batch
     */
    record Trained(Model model, Dataset test) {
    }

    /**
     * Trains for {@code epochs}, on Fashion-MNIST in {@code data} with the bench's settings and seeds (so the
     * network is the bench's after as many epochs): {@code lenet}, the bench's LeNet-5, or {@code mlp}, the bench's
     * MLP as {@link MlpSecondOrder} (the same layers, with the generated R-pass). Without Fashion-MNIST, {@code lenet}
     * falls back to the digits CNN on the digits inside the jar. {@code trainSamples} keeps the first rows of the
     * training set only (0: all).
     *
     * @throws IllegalArgumentException for another name, or {@code mlp} without Fashion-MNIST
     */
    static Trained train(String name, Path data, int epochs, int trainSamples) throws IOException {
        return train(name, data, epochs, trainSamples, false);
    }

    /**
     * As {@link #train(String, Path, int, int)}; when {@code exact} and the model is the bench's LeNet-5, its
     * trained parameters are then copied into {@link LeNet5SecondOrder} (same names and shapes), whose R-pass gives
     * exact products, while the training stays the bench's own generated code.
     */
    static Trained train(String name, Path data, int epochs, int trainSamples, boolean exact) throws IOException {
        if (!name.equals("lenet") && !name.equals("mlp")) {
            throw new IllegalArgumentException("expected the model lenet or mlp, found '" + name + "'");
        }
        boolean fashion = Mnist.isPresent(data);
        if (!fashion && name.equals("mlp")) {
            throw new IllegalArgumentException("the mlp needs Fashion-MNIST, not found in " + data);
        }
        Mnist.Split split = fashion ? SampleData.fashionMnist(data) : SampleData.digits(7);
        Dataset train = trainSamples > 0 ? split.train().slice(0, Math.min(trainSamples, split.train().size()))
                : split.train();
        Model model = !fashion ? DigitsCnnNet.create(1)
                : name.equals("mlp") ? MlpSecondOrderNet.create(0) : Bench.create("lenet");
        Optimizer sgd = Optimizer.momentum(0.05, 0.9);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            // one trainer per epoch, seeded with the epoch's number, as Bench.run: the bench's network
            Trainer.of(model).optimizer(sgd).batchSize(fashion ? 128 : 32).epochs(1).seed(epoch).fit(train);
        }
        Evaluation test = Evaluation.of(model, split.test(), 1000);
        System.out.printf(Locale.ROOT, "%s on %s: test accuracy %.4f after %d epochs%n", model.name(),
                fashion ? "Fashion-MNIST" : "the digits", test.accuracy(), epochs);
        if (exact && fashion && name.equals("lenet")) {
            Model twin = LeNet5SecondOrderNet.create(0);
            copyParameters(model, twin);
            return new Trained(twin, split.test());
        }
        return new Trained(model, split.test());
    }

    /**
     * Copies {@code from}'s parameters into {@code to}, tensor by tensor.
     *
     * @throws IllegalArgumentException when the two networks' parameter names or shapes differ
     */
    static void copyParameters(Model from, Model to) {
        List<Tensor> source = from.parameterTensors();
        List<Tensor> target = to.parameterTensors();
        if (source.size() != target.size() || !from.bufferTensors().isEmpty() || !to.bufferTensors().isEmpty()) {
            throw new IllegalArgumentException("expected two networks with the same parameters and no buffers, found "
                    + source + " (buffers " + from.bufferTensors() + ") and " + target + " (buffers "
                    + to.bufferTensors() + ")");
        }
        for (int i = 0; i < source.size(); i++) {
            Tensor a = source.get(i);
            Tensor b = target.get(i);
            if (!a.name().equals(b.name()) || !Arrays.equals(a.shape(), b.shape())) {
                throw new IllegalArgumentException("expected parameter " + a.name() + Arrays.toString(a.shape())
                        + ", found " + b.name() + Arrays.toString(b.shape()));
            }
            b.copyFrom(a.toArray());
        }
    }

    /**
     * {@return the residual {@code |H v - lambda v| / |lambda|} of the top eigenpair power iteration finds on
     * {@code hvp} with the report's settings and seed: how far the reported eigenvalue is from converged}
     */
    static double residual(HessianVectorProduct hvp) {
        PowerIteration.Eigenpairs top = PowerIteration.top(hvp, 1, SharpnessReport.MAX_ITERATIONS,
                SharpnessReport.TOLERANCE, SEED);
        double lambda = top.values()[0];
        double[] v = top.vectors().get(0);
        double[] hv = hvp.apply(v);
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            double r = hv[i] - lambda * v[i];
            sum += r * r;
        }
        return Math.sqrt(sum) / Math.abs(lambda);
    }

    /**
     * {@return the operator of {@code model}'s mean loss on {@code batch} in inference mode: the generated R-pass
     * when {@code exact}, else central differences of the gradient}
     *
     * @throws UnsupportedOperationException when {@code exact} and the model has no generated R-pass
     */
    static HessianVectorProduct operator(Model model, Batch batch, boolean exact) {
        return exact ? GeneratedHvp.of(model, batch.inputs(), batch.targets(), batch.n(),
                FiniteDifferenceHvp.Mode.INFERENCE)
                : FiniteDifferenceHvp.of(model, batch.inputs(), batch.targets(), batch.n(),
                        FiniteDifferenceHvp.Mode.INFERENCE);
    }

    /** {@return the report of {@code model} on {@code batch}: {@code top} eigenvalues, {@code traceSamples} vectors} */
    static SharpnessReport report(Model model, Batch batch, boolean exact, int top, int traceSamples) {
        return SharpnessReport.of(model.name(), operator(model, batch, exact), top, traceSamples, SEED);
    }

    /** Saves the checkpoint (PyTorch's layouts and names) and writes the report as JSON, both atomically. */
    static void write(Model model, SharpnessReport report, Path checkpoint, Path json) throws IOException {
        Checkpoint.save(model, checkpoint);
        report.write(json);
    }

    /**
     * The cost of one product against one gradient on one batch, medians over repeats after a warm-up.
     *
     * @param network the network's name
     * @param gradientSeconds one forward and backward pass
     * @param finiteDifferenceSeconds one {@code H v} by central differences (two gradients, through the toolbox's
     *         operator, which also loads the batch and converts the vectors)
     * @param generatedSeconds one exact {@code H v} (a forward pass and the R-pass); NaN without an R-pass
     */
    record Cost(String network, double gradientSeconds, double finiteDifferenceSeconds, double generatedSeconds) {
        /** {@return the line printed: times and ratios to the gradient} */
        String line() {
            return String.format(Locale.ROOT, "{\"network\": \"%s\", \"gradient_s\": %.4f, \"fd_hvp_s\": %.4f,"
                            + " \"fd_over_gradient\": %.2f, \"generated_hvp_s\": %s, \"generated_over_gradient\": %s}",
                    network, gradientSeconds, finiteDifferenceSeconds, finiteDifferenceSeconds / gradientSeconds,
                    Double.isNaN(generatedSeconds) ? "null" : String.format(Locale.ROOT, "%.4f", generatedSeconds),
                    Double.isNaN(generatedSeconds) ? "null"
                            : String.format(Locale.ROOT, "%.2f", generatedSeconds / gradientSeconds));
        }
    }

    /**
     * {@return the cost on {@code batch} of {@code model}'s gradient and products, medians of {@code repeats}} The
     * gradient ({@code forward}, {@code loss}, {@code backward}) and the generated product ({@code forward},
     * {@code hessianVectorProduct}) are timed as the model's own passes on the batch loaded once, as
     * {@code torch_sharpness.py --cost} times torch's functional calls on tensors already built.
     */
    static Cost cost(Model model, Batch batch, int repeats) {
        HessianVectorProduct fd = operator(model, batch, false);
        boolean generated = true;
        try {
            operator(model, batch, true);
        } catch (UnsupportedOperationException e) {
            generated = false;
        }
        double[] v = new double[fd.size()];
        java.util.SplittableRandom random = new java.util.SplittableRandom(SEED);
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
        }
        double[] out = new double[v.length];
        double finite = median(repeats, () -> fd.apply(v, out));
        int n = batch.n();
        load(model, batch);
        double[] direction = new double[model.parameterCount()];
        for (int i = 0; i < direction.length; i++) {
            direction[i] = random.nextGaussian();
        }
        double[] product = new double[direction.length];
        double gradient = median(repeats, () -> {
            model.forward(n);
            model.loss(n);
            model.backward(n);
        });
        double r = !generated ? Double.NaN : median(repeats, () -> {
            model.forward(n);
            model.hessianVectorProduct(n, direction, product);
        });
        return new Cost(model.name(), gradient, finite, r);
    }

    /** Puts {@code batch} into the model's input and target rows, in inference mode. */
    private static void load(Model model, Batch batch) {
        int n = batch.n();
        model.setTraining(false);
        model.reserve(n);
        for (int r = 0; r < n; r++) {
            model.setInput(r, batch.inputs(), r * model.inputSize());
            model.setTarget(r, batch.targets(), r * model.outputSize());
        }
    }

    /**
     * The median time of {@code repeats} runs of {@code work}, after thirty untimed runs: the JIT compiles the
     * generated passes' loops within about twenty-five (the first products run up to five times as long), as it does
     * within the first of the hundreds of products a power iteration or a Hessian-free run takes.
     */
    private static double median(int repeats, Runnable work) {
        for (int i = 0; i < 30; i++) {
            work.run();
        }
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            work.run();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[repeats / 2];
    }
}
