package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp;
import dev.lamina.runtime.analysis.hessian.GeneratedHvp;
import dev.lamina.runtime.analysis.hessian.HessianMatrix;
import dev.lamina.runtime.analysis.hessian.HessianVectorProduct;
import dev.lamina.runtime.analysis.hessian.SharpnessReport;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sharpness sample: its report's top eigenvalue against the largest eigenvalue of the full Hessian on a tiny
 * network; the command's small run (the digits CNN) writes a report and a checkpoint of the same network; and,
 * where Python has torch and Fashion-MNIST is installed, PyTorch's power iteration on
 * {@code torch.autograd.functional.hvp} agrees with the report to 1% (the bench MLP and the bench LeNet's
 * {@link LeNet5SecondOrder} twin, exact products).
 */
class SharpnessTest {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9.]+(?:[eE][-+]?[0-9]+)?");

    /** A tiny smooth classifier of the digits: 64-4-tanh-10, 310 parameters, with its R-pass. */
    @Network(input = {1, 8, 8}, secondOrder = true)
    abstract static class TinyDigits {
        @Dense(units = 4, activation = Activation.TANH) Layer hidden;
        @Dense(units = 10) Layer scores;
    }

    @TempDir
    Path dir;

    @Test
    void reportsTheFullHessiansLargestEigenvalueOnATinyNetwork() {
        Mnist.Split digits = SampleData.digits(7);
        Model model = SharpnessTest_TinyDigitsNet.create(3);
        Trainer.of(model).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32).epochs(3).seed(1)
                .fit(digits.train());
        SharpnessSample.Batch batch = SharpnessSample.Batch.first(digits.test(), 100);
        double[] eigenvalues = symmetricEigenvalues(HessianMatrix.of(SharpnessSample.operator(model, batch, true)));
        double largest = 0;
        for (double e : eigenvalues) {
            largest = Math.abs(e) > Math.abs(largest) ? e : largest;
        }
        SharpnessReport fd = SharpnessSample.report(model, batch, false, 1, 2);
        SharpnessReport exact = SharpnessSample.report(model, batch, true, 1, 2);
        double fdError = Math.abs(fd.topEigenvalues()[0] - largest) / Math.abs(largest);
        double exactError = Math.abs(exact.topEigenvalues()[0] - largest) / Math.abs(largest);
        System.out.printf("sharpness tiny: full Hessian %.6g, report (differences) %.6g (%.2g), report (R-pass)"
                        + " %.6g (%.2g)%n", largest, fd.topEigenvalues()[0], fdError, exact.topEigenvalues()[0],
                exactError);
        assertTrue(largest > 0, "a trained network's sharpest curvature is positive, found " + largest);
        assertTrue(fdError < 2e-3, "differences: " + fd.topEigenvalues()[0] + " against " + largest);
        assertTrue(exactError < 1e-3, "R-pass: " + exact.topEigenvalues()[0] + " against " + largest);
    }

    @Test
    void smallRunWritesTheReportOfTheCheckpointedNetwork() throws Exception {
        Path out = dir.resolve("run");
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                "sharpness", "--data", dir.resolve("no-fashion-mnist").toString(), "--epochs", "1",
                "--train-samples", "300", "--batch", "50", "--trace-samples", "2", "--out", out.toString());
        assertEquals(0, code);
        String json = Files.readString(out.resolve("sharpness.json"));
        double loss = field(json, "loss");
        double gradientNorm = field(json, "gradientNorm");
        double top = field(json, "topEigenvalues");
        assertTrue(json.contains("\"network\" : \"DigitsCnn\""), json);
        // the checkpoint is the network the report describes: a fresh network loaded from it has its loss and
        // gradient on the same batch, and no direction curves more than the top eigenvalue says
        Model loaded = DigitsCnnNet.create(99);
        Checkpoint.load(loaded, out.resolve("model.safetensors"));
        SharpnessSample.Batch batch = SharpnessSample.Batch.first(SampleData.digits(7).test(), 50);
        HessianVectorProduct hvp = SharpnessSample.operator(loaded, batch, false);
        assertEquals(loss, hvp.loss(), 1e-6 * loss);
        assertEquals(gradientNorm, norm(hvp.gradient()), 1e-5 * gradientNorm);
        SplittableRandom random = new SplittableRandom(5);
        for (int t = 0; t < 3; t++) {
            double[] v = new double[hvp.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextGaussian();
            }
            double n = norm(v);
            for (int i = 0; i < v.length; i++) {
                v[i] /= n;
            }
            double curvature = dot(v, hvp.apply(v));
            assertTrue(Math.abs(curvature) <= Math.abs(top), "v^T H v = " + curvature + " above the top " + top);
        }
    }

    @Test
    void helpNamesTheOptionsAndBadInputIsExitCodeTwo() throws Exception {
        StringWriter out = new StringWriter();
        assertEquals(0, Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "sharpness",
                "--help"));
        for (String option : List.of("--model", "--data", "--epochs", "--train-samples", "--batch", "--top",
                "--trace-samples", "--exact", "--cost", "--out", "--threads")) {
            assertTrue(out.toString().contains(option), "help names " + option + ":\n" + out);
        }
        StringWriter err = new StringWriter();
        assertEquals(ExitCodes.USAGE, Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
                "sharpness", "--model", "resnet"));
        assertTrue(err.toString().contains("expected lenet or mlp, found 'resnet'"), err.toString());
        // the digits CNN has no generated R-pass: --exact says so instead of falling back to differences
        StringWriter noRPass = new StringWriter();
        assertEquals(ExitCodes.USAGE, Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(noRPass),
                "sharpness", "--exact", "--epochs", "0", "--batch", "10", "--data",
                dir.resolve("none").toString(), "--out", dir.resolve("exact").toString()));
        assertTrue(noRPass.toString().contains("--exact: DigitsCnn has no generated Hessian-vector product"),
                noRPass.toString());
    }

    @Test
    void pyTorchAgreesOnTheTopEigenvalueToOnePercent() throws Exception {
        String python = PythonWithTorch.find();
        Assumptions.assumeTrue(python != null, "no python3 with torch (tried python3 and /usr/bin/python3)");
        Assumptions.assumeTrue(Mnist.isPresent(Mnist.FASHION_MNIST_DIR), "Fashion-MNIST is not installed in "
                + Mnist.FASHION_MNIST_DIR);
        SharpnessSample.Trained trained = SharpnessSample.train("mlp", Mnist.FASHION_MNIST_DIR, 1, 1000);
        SharpnessSample.Batch batch = SharpnessSample.Batch.first(trained.test(), 100);
        SharpnessReport report = SharpnessSample.report(trained.model(), batch, true, 1, 2);
        Path checkpoint = dir.resolve("mlp.safetensors");
        SharpnessSample.write(trained.model(), report, checkpoint, dir.resolve("sharpness.json"));
        Process p = new ProcessBuilder(python, script().toString(), checkpoint.toString(), "--model", "mlp",
                "--batch", "100", "--repeats", "1", "--threads", "1").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "torch_sharpness.py did not finish");
        assertEquals(0, p.exitValue(), "torch_sharpness.py failed:\n" + log);
        double torch = field(log, "topEigenvalue");
        double lamina = report.topEigenvalues()[0];
        System.out.printf("sharpness mlp: lamina %.6g, pytorch %.6g, relative difference %.2g%n", lamina, torch,
                Math.abs(lamina - torch) / Math.abs(torch));
        assertEquals(report.loss(), field(log, "loss"), 1e-5 * report.loss(), "the same network and batch");
        assertEquals(torch, lamina, 0.01 * Math.abs(torch));
    }

    @Test
    void pyTorchAgreesOnTheExactLeNetsTopEigenvalueToOnePercent() throws Exception {
        String python = PythonWithTorch.find();
        Assumptions.assumeTrue(python != null, "no python3 with torch (tried python3 and /usr/bin/python3)");
        Assumptions.assumeTrue(Mnist.isPresent(Mnist.FASHION_MNIST_DIR), "Fashion-MNIST is not installed in "
                + Mnist.FASHION_MNIST_DIR);
        // the bench's LeNet-5 trained briefly, its parameters copied into the twin with the R-pass
        SharpnessSample.Trained trained = SharpnessSample.train("lenet", Mnist.FASHION_MNIST_DIR, 1, 1000, true);
        assertEquals("LeNet5SecondOrder", trained.model().name());
        SharpnessSample.Batch batch = SharpnessSample.Batch.first(trained.test(), 20);
        SharpnessReport report = SharpnessSample.report(trained.model(), batch, true, 1, 2);
        Path checkpoint = dir.resolve("lenet.safetensors");
        SharpnessSample.write(trained.model(), report, checkpoint, dir.resolve("sharpness.json"));
        Process p = new ProcessBuilder(python, script().toString(), checkpoint.toString(), "--model", "lenet",
                "--batch", "20", "--repeats", "1", "--threads", "1").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "torch_sharpness.py did not finish");
        assertEquals(0, p.exitValue(), "torch_sharpness.py failed:\n" + log);
        double torch = field(log, "topEigenvalue");
        double lamina = report.topEigenvalues()[0];
        System.out.printf("sharpness lenet (exact): lamina %.6g, pytorch %.6g, relative difference %.2g%n", lamina,
                torch, Math.abs(lamina - torch) / Math.abs(torch));
        assertEquals(report.loss(), field(log, "loss"), 1e-5 * report.loss(), "the same network and batch");
        assertEquals(torch, lamina, 0.01 * Math.abs(torch));
    }

    @Test
    void bothSidesOfTheCostComparisonPrintTheSameKeys() throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.out;
        int code;
        try {
            System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                    "sharpness", "--cost-only", "--epochs", "0", "--batch", "20", "--threads", "1", "--data",
                    dir.resolve("no-fashion-mnist").toString(), "--out", dir.resolve("cost").toString());
        } finally {
            System.setOut(before);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, log);
        String lamina = log.lines().filter(l -> l.startsWith("{\"peer\": \"lamina\"")).findFirst().orElseThrow(
                () -> new AssertionError("no comparison line in:\n" + log));
        // the digits CNN has no R-pass: its products are central differences, and the line says so
        assertTrue(lamina.contains("\"product\": \"finite differences\"") && lamina.contains("\"threads\": 1"),
                lamina);
        assertFalse(Files.exists(dir.resolve("cost").resolve("sharpness.json")), "--cost-only writes no report");
        String python = PythonWithTorch.find();
        Assumptions.assumeTrue(python != null, "no python3 with torch (tried python3 and /usr/bin/python3)");
        Assumptions.assumeTrue(Mnist.isPresent(Mnist.FASHION_MNIST_DIR), "Fashion-MNIST is not installed in "
                + Mnist.FASHION_MNIST_DIR);
        Process p = new ProcessBuilder(python, script().toString(), "--cost", "--model", "mlp", "--batch", "20",
                "--repeats", "1", "--threads", "1").redirectErrorStream(true).start();
        String torch = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "torch_sharpness.py did not finish");
        assertEquals(0, p.exitValue(), "torch_sharpness.py --cost failed:\n" + torch);
        for (String json : List.of(lamina, torch)) {
            double gradient = field(json, "gradient_s");
            double hvp = field(json, "hvp_s");
            assertTrue(gradient > 0 && hvp > 0, json);
            // the ratio is the two printed times' (rounded as printed)
            assertEquals(hvp / gradient, field(json, "ratio"), 1e-4 * hvp / gradient + 1e-3, json);
        }
    }

    @Test
    void theTwinGetsTheTrainedLeNetsParametersAndBadPairsAreRefused() {
        Model trained = LeNet5Net.create(4);
        Model twin = LeNet5SecondOrderNet.create(0);
        SharpnessSample.copyParameters(trained, twin);
        assertTrue(Arrays.equals(trained.parameters().toArray(), twin.parameters().toArray()),
                "the same parameters after the copy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharpnessSample.copyParameters(trained, MlpSecondOrderNet.create(0)));
        assertTrue(e.getMessage().startsWith("expected"), e.getMessage());
    }

    /** The first number after {@code "name"} in {@code json}. */
    private static double field(String json, String name) {
        int at = json.indexOf("\"" + name + "\"");
        assertTrue(at >= 0, "no " + name + " in " + json);
        Matcher m = NUMBER.matcher(json);
        assertTrue(m.find(at + name.length() + 2), "no number after " + name + " in " + json);
        return Double.parseDouble(m.group());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** The eigenvalues of a symmetric matrix by cyclic Jacobi rotations, to rounding. */
    private static double[] symmetricEigenvalues(HessianMatrix h) {
        int n = h.size();
        double[] a = h.values();
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double all = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    all += a[i * n + j] * a[i * n + j];
                    off += i == j ? 0 : a[i * n + j] * a[i * n + j];
                }
            }
            if (off <= 1e-22 * all) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p * n + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) { // columns p and q
                        double akp = a[k * n + p];
                        double akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // rows p and q
                        double apk = a[p * n + k];
                        double aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = a[i * n + i];
        }
        return out;
    }

    private static Path script() {
        return Path.of("src", "test", "python", "torch_sharpness.py").toAbsolutePath();
    }
}
