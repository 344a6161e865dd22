package dev.lamina.gpu;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.train.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Whether a network's GPU path computes what its CPU path computes: two copies from the same seed, the same
 * random batch (twice, so that stateful layers carry a state into the second), then the training-mode outputs,
 * the loss, every gradient, the parameters and running statistics after one momentum step, and the
 * inference-mode outputs, each compared relative to its largest magnitude (the GPU sums in another order, so the
 * last bits differ). What the device tests run for every network they know; also a check a user can run on a
 * new machine.
 */
public final class Agreement {
    private Agreement() {
    }

    /**
     * {@return the disagreements between {@code create}'s network on the CPU and on {@code device}, one line each;
     * empty
     * when they agree within {@code tolerance} (relative; 1e-3 suits float32 GEMMs of a few hundred terms)}
     *
     * @param create makes the network from a seed (called twice, with the same seed)
     * @param device the device to compare against the CPU
     * @param rows the batch size of the comparison
     * @param tolerance the largest difference allowed, relative to each quantity's largest magnitude
     */
    public static List<String> check(LongFunction<Model> create, CudaDevice device, int rows, double tolerance) {
        List<String> problems = new ArrayList<>();
        Model cpu = create.apply(3);
        try (DeviceNetwork gpu = new DeviceNetwork(create.apply(3), device)) {
            fill(cpu, rows);
            fill(gpu, rows);
            cpu.setTraining(true);
            gpu.setTraining(true);
            // a first batch, so that stateful layers start the compared one from a carried state
            cpu.forward(rows);
            gpu.forward(rows);
            compare(outputs(cpu, rows), outputs(gpu, rows), tolerance, "first training outputs", problems);
            cpu.forward(rows);
            gpu.forward(rows);
            compare(outputs(cpu, rows), outputs(gpu, rows), tolerance, "training outputs", problems);
            double expected = cpu.loss(rows);
            double actual = gpu.loss(rows);
            if (Math.abs(expected - actual) > tolerance * Math.max(1, Math.abs(expected))) {
                problems.add("loss: CPU " + expected + ", GPU " + actual);
            }
            cpu.backward(rows);
            gpu.backward(rows);
            compare(cpu.gradients().toArray(), gpu.gradients().toArray(), tolerance, "gradients", problems);
            Optimizer.momentum(0.05, 0.9).step(cpu);
            Optimizer.momentum(0.05, 0.9).step(gpu);
            compare(cpu.parameterArray(), gpu.parameterArray(), tolerance, "parameters after a step", problems);
            compare(cpu.buffers().toArray(), gpu.buffers().toArray(), tolerance, "running statistics", problems);
            cpu.setTraining(false);
            gpu.setTraining(false);
            cpu.forward(rows);
            gpu.forward(rows);
            compare(outputs(cpu, rows), outputs(gpu, rows), tolerance, "inference outputs", problems);
        }
        return problems;
    }

    /**
     * The same seeded inputs for every copy (token ids for a token input) and one-hot targets.
     *
     * @param model the network to fill
     * @param rows the number of rows
     */
    public static void fill(Model model, int rows) {
        Rng rng = new Rng(11);
        model.reserve(rows);
        float[] x = new float[model.inputSize()];
        float[] t = new float[model.outputSize()];
        int tokens = vocabulary(model);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = tokens > 0 ? rng.nextInt(tokens) : rng.nextFloat();
            }
            Arrays.fill(t, 0f);
            t[r % t.length] = 1f;
            model.setInput(r, x, 0);
            model.setTarget(r, t, 0);
        }
    }

    /** The vocabulary of a network whose first layer is an embedding (its table's rows), else 0. */
    private static int vocabulary(Model model) {
        List<Layer> layers = model.layers();
        if (!layers.isEmpty() && layers.get(0).kind().equals("Embedding")) {
            return layers.get(0).weights().shape()[0];
        }
        return 0;
    }

    /**
     * {@return the outputs of the last forward pass, row after row}
     *
     * @param model the network whose last forward pass is read
     * @param rows the number of rows
     */
    public static float[] outputs(Model model, int rows) {
        float[] y = new float[rows * model.outputSize()];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < model.outputSize(); k++) {
                y[r * model.outputSize() + k] = model.output(r, k);
            }
        }
        return y;
    }

    /**
     * Adds to {@code problems} a line naming {@code what} when {@code actual} differs from {@code expected} by more
     * than {@code tolerance} times the largest magnitude of {@code expected}.
     *
     * @param expected the CPU's values
     * @param actual the GPU's values
     * @param tolerance the largest difference allowed, relative to the largest magnitude of {@code expected}
     * @param what the name of the quantity, for the line
     * @param problems where a disagreement is added
     */
    public static void compare(float[] expected, float[] actual, double tolerance, String what,
                               List<String> problems) {
        if (expected.length != actual.length) {
            problems.add(what + ": " + expected.length + " values on the CPU, " + actual.length + " on the GPU");
            return;
        }
        double scale = 1e-6;
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (!(worst <= tolerance * scale)) {
            problems.add(what + ": differ by " + worst + " at " + at + " (CPU " + expected[at] + ", GPU " + actual[at]
                    + "), more than " + tolerance + " x " + scale);
        }
    }
}
