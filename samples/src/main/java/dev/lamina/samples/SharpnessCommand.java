package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.hessian.SharpnessReport;
import dev.lamina.runtime.data.Mnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sharpness}: the Hessian's top eigenvalues and trace of the trained bench LeNet (see {@link SharpnessSample}). */
@Command(name = "sharpness", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = {"Trains the bench LeNet (the digits CNN without Fashion-MNIST), saves its checkpoint in"
                + " PyTorch's layouts and reports the sharpness of the mean cross-entropy on the first test images:"
                + " the Hessian's top eigenvalues (power iteration) and trace (Hutchinson), printed and written as"
                + " JSON (CPU). PyTorch's side: samples/src/test/python/torch_sharpness.py.",
                "Without --exact the products are central differences of the gradient, which straddle ReLU and"
                        + " max-pool kinks: on LeNet they overstate PyTorch's (kink-free) eigenvalue by several"
                        + " percent; --exact uses the network's generated R-pass (for lenet: the bench's LeNet-5 trained as"
                        + " the bench does, its parameters copied into LeNet5SecondOrder)."})
final class SharpnessCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "lenet",
            description = "lenet, the bench's LeNet-5, or mlp, the bench's MLP with its generated R-pass"
                    + " (default: ${DEFAULT-VALUE})")
    private String modelName;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Fashion-MNIST's folder; the digits inside the jar when absent (default: ${DEFAULT-VALUE})")
    private Path data = Mnist.FASHION_MNIST_DIR;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "epochs (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--train-samples", paramLabel = "N", defaultValue = "0",
            description = "train on the first N training samples only; 0: all (default: ${DEFAULT-VALUE})")
    private int trainSamples;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1000",
            description = "the first N test images make the batch (default: ${DEFAULT-VALUE})")
    private int batch;

    @Option(names = "--top", paramLabel = "K", defaultValue = "1",
            description = "top eigenvalues (default: ${DEFAULT-VALUE})")
    private int top;

    @Option(names = "--trace-samples", paramLabel = "M", defaultValue = "10",
            description = "Hutchinson's Rademacher vectors (default: ${DEFAULT-VALUE})")
    private int traceSamples;

    @Option(names = "--exact", description = "use the generated R-pass (exact H v) instead of central differences"
            + " of the gradient; the network must be declared @Network(secondOrder = true)")
    private boolean exact;

    @Option(names = "--cost", description = "also time one gradient against one H v (central differences, and"
            + " the R-pass where the network has it) on the batch, for this network and the bench MLP; a line"
            + " {\"gradient_s\", \"hvp_s\", \"ratio\"} per network compares with torch_sharpness.py --cost")
    private boolean cost;

    @Option(names = "--cost-only", description = "--cost without the sharpness report (no eigenvalues, trace or"
            + " files): the timings alone")
    private boolean costOnly;

    @Option(names = "--residual", description = "also print |H v - lambda v| / |lambda| of the top eigenpair"
            + " (power iteration again, same seed): how far the eigenvalue is from converged")
    private boolean residual;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/sharpness",
            description = "where sharpness.json and the checkpoint model.safetensors go (default: ${DEFAULT-VALUE})")
    private Path out;

    @Mixin
    private ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        if (epochs < 0 || trainSamples < 0 || top < 1 || traceSamples < 1 || batch < 1) {
            throw new ParameterException(spec.commandLine(), "expected --epochs >= 0, --train-samples >= 0,"
                    + " --batch >= 1, --top >= 1 and --trace-samples >= 1, found " + epochs + ", " + trainSamples
                    + ", " + batch + ", " + top + ", " + traceSamples);
        }
        if (!modelName.equals("lenet") && !modelName.equals("mlp")) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--model': expected lenet"
                    + " or mlp, found '" + modelName + "'");
        }
        threads.apply();
        SharpnessSample.Trained trained = SharpnessSample.train(modelName, data, epochs, trainSamples,
                exact);
        Model model = trained.model();
        SharpnessSample.Batch fixed = SharpnessSample.Batch.first(trained.test(), Math.min(batch,
                trained.test().size()));
        if (costOnly) {
            printCost(model, fixed);
            return 0;
        }
        SharpnessReport report;
        try {
            report = SharpnessSample.report(model, fixed, exact, top, traceSamples);
        } catch (UnsupportedOperationException e) {
            throw new ParameterException(spec.commandLine(), "--exact: " + e.getMessage());
        }
        Files.createDirectories(out);
        Path checkpoint = out.resolve("model.safetensors");
        Path json = out.resolve("sharpness.json");
        SharpnessSample.write(model, report, checkpoint, json);
        System.out.print(report);
        System.out.println("(" + (exact ? "generated R-pass" : "central differences of the gradient") + ", "
                + fixed.n() + " test images, inference mode)");
        System.out.println("checkpoint: " + checkpoint + "\nreport: " + json);
        if (residual) {
            System.out.printf(java.util.Locale.ROOT, "residual |Hv - lambda v| / |lambda| of the top eigenpair: %.3g%n",
                    SharpnessSample.residual(SharpnessSample.operator(model, fixed, exact)));
        }
        if (cost) {
            printCost(model, fixed);
        }
        return 0;
    }

    /** Times the gradient and the products of {@code model} (and of the bench MLP beside LeNet) and prints them. */
    private void printCost(Model model, SharpnessSample.Batch fixed) {
        System.out.println("cost, one batch of " + fixed.n() + " (timings; noisy on a loaded machine):");
        printCost(SharpnessSample.cost(model, fixed, 15), fixed.n());
        if (modelName.equals("lenet") && fixed.inputs().length / fixed.n() == 784) {
            printCost(SharpnessSample.cost(MlpSecondOrderNet.create(0), fixed, 15), fixed.n());
        }
    }

    /**
     * Prints the cost's line, then the line {@code torch_sharpness.py --cost} prints too: the gradient's and the
     * generated {@code H v}'s medians (central differences' where there is no R-pass, as {@code product} says) and
     * their ratio.
     */
    private static void printCost(SharpnessSample.Cost c, int n) {
        System.out.println(c.line());
        boolean generated = !Double.isNaN(c.generatedSeconds());
        double hvp = generated ? c.generatedSeconds() : c.finiteDifferenceSeconds();
        System.out.println(String.format(java.util.Locale.ROOT, "{\"peer\": \"lamina\", \"network\": \"%s\","
                        + " \"product\": \"%s\", \"batch\": %d, \"threads\": %d, \"gradient_s\": %.6g,"
                        + " \"hvp_s\": %.6g, \"ratio\": %.3f}", c.network(),
                generated ? "generated R-pass" : "finite differences", n, dev.lamina.runtime.Workers.threads(),
                c.gradientSeconds(), hvp, hvp / c.gradientSeconds()));
    }
}
