package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.train.TrainingCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The samples' command line without training anything: {@code --help} of every command, the usage errors (exit
 * code 2, with the valid choices), a device that cannot train (exit code 3), and the README's model list against
 * the registry.
 */
class CommandLineTest {
    /** Each command's options as they were before picocli (names and defaults kept), plus --help. */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("", List.of("--data", "--device", "--threads"), List.of("default: cpu")),
                Arguments.of("train", List.of("--model", "--epochs", "--threads", "--data", "--device", "--out",
                        "--samples", "--batch", "--seed", "--report", "--no-report", "--checkpoints"), List.of("default: lenet",
                        "default: cpu", "default: target/gan", "default: 25600", "default: 64", "default: 1)",
                        "default: target/reports/MODEL.html")),
                Arguments.of("bench", List.of("--model", "--epochs", "--threads", "--data", "--device"),
                        List.of("default: mlp", "default: 2")),
                Arguments.of("features", List.of("--model", "--out", "--epochs", "--device", "--threads"),
                        List.of("default: digits", "default: target/pictures", "default: 15")),
                Arguments.of("transfer", List.of("--out", "--source-epochs", "--epochs", "--per-class", "--threads"),
                        List.of("default: target/transfer", "default: 20", "default: 30")),
                Arguments.of("fgsm", List.of("--out", "--epochs", "--threads"),
                        List.of("default: target/analysis", "default: 30")),
                Arguments.of("saliency", List.of("--out", "--epochs", "--threads"),
                        List.of("default: target/analysis", "default: 30")),
                Arguments.of("maximise", List.of("--out", "--epochs", "--steps", "--threads"),
                        List.of("default: target/analysis", "default: 30", "default: 300")),
                Arguments.of("style", List.of("--out", "--steps", "--threads"),
                        List.of("default: target/analysis", "default: 300")));
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("commands")
    void helpOfEachCommandExitsZeroAndNamesItsOptionsAndDefaults(String command, List<String> options,
            List<String> defaults) throws Exception {
        Result help = run(command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"});
        assertEquals(0, help.code, help.err);
        assertEquals("", help.err);
        for (String option : concat(options, List.of("--help"))) {
            assertTrue(help.out.contains(option), "'" + command + " --help' names " + option + ":\n" + help.out);
        }
        String words = help.out.replaceAll("\\s+", " "); // picocli wraps long descriptions
        for (String fallback : defaults) {
            assertTrue(words.contains(fallback), "'" + command + " --help' says " + fallback + ":\n" + help.out);
        }
    }

    @Test
    void helpListsTheCommandsAndEveryModel() throws Exception {
        Result help = run("--help");
        for (String command : List.of("train", "bench", "features", "transfer", "fgsm", "saliency", "maximise",
                "style")) {
            assertTrue(help.out.contains(command), "--help names " + command + ":\n" + help.out);
        }
        for (String command : List.of("--help", "train --help")) {
            Result models = run(command.split(" "));
            for (SampleModel model : SampleModel.values()) {
                assertTrue(models.out.contains("  " + model.cliName() + "  "), command + " lists "
                        + model.cliName() + ":\n" + models.out);
            }
        }
    }

    @Test
    void anUnknownModelIsExitCodeTwoWithTheValidOnes() throws Exception {
        Result train = run("train", "--model", "foo");
        assertEquals(ExitCodes.USAGE, train.code, train.err);
        assertTrue(train.err.contains("expected one of mlp, lenet, lstm, resnet, inception, digits, autoencoder,"
                + " charrnn, gan, found 'foo'") || train.err.contains("unknown model 'foo': expected one of mlp,"
                + " lenet, lstm, resnet, inception, digits, autoencoder, charrnn, gan"), train.err);
        assertEquals("", train.out);

        Result bench = run("bench", "--model", "digits");
        assertEquals(ExitCodes.USAGE, bench.code, bench.err);
        assertTrue(bench.err.contains("expected one of mlp, lenet, lstm, resnet, inception, found 'digits'"),
                bench.err);

        Result features = run("features", "--model", "lenet");
        assertEquals(ExitCodes.USAGE, features.code, features.err);
        assertTrue(features.err.contains("expected --model digits on the CPU, found --model lenet"), features.err);
    }

    @Test
    void anUnknownOptionOrCommandIsExitCodeTwoWithTheValidOnes() throws Exception {
        Result option = run("train", "--model", "digits", "--epoch", "3");
        assertEquals(ExitCodes.USAGE, option.code, option.err);
        assertTrue(option.err.contains("Unknown options: '--epoch'"), option.err);
        assertTrue(option.err.contains("Possible solutions: --epochs"), option.err);
        for (String valid : List.of("--model", "--epochs", "--threads", "--data", "--device")) {
            assertTrue(option.err.contains(valid), "the usage after the error names " + valid + ":\n" + option.err);
        }

        Result command = run("trian");
        assertEquals(ExitCodes.USAGE, command.code, command.err);
        assertTrue(command.err.contains("'trian'"), command.err);
        for (String valid : List.of("train", "bench", "features", "transfer", "fgsm", "saliency", "maximise",
                "style")) {
            assertTrue(command.err.contains(valid), "the usage after the error names " + valid + ":\n"
                    + command.err);
        }

        Result missing = run("train", "--epochs");
        assertEquals(ExitCodes.USAGE, missing.code, missing.err);
        assertTrue(missing.err.contains("--epochs"), missing.err);

        Result notANumber = run("bench", "--epochs", "two");
        assertEquals(ExitCodes.USAGE, notANumber.code, notANumber.err);
        assertTrue(notANumber.err.contains("'two' is not an int"), notANumber.err);
    }

    @Test
    void theGansOptionsWithAnotherModelAreExitCodeTwo() throws Exception {
        Result other = run("train", "--model", "digits", "--samples", "256", "--seed", "3");
        assertEquals(ExitCodes.USAGE, other.code, other.err);
        assertTrue(other.err.contains("--samples, --seed only for --model gan, found --model digits"), other.err);
    }

    @Test
    void trainWritesTheRunReportWhereAskedAndRefusesItForTheGan(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("digits.html");
        Result digits = run("train", "--model", "digits", "--epochs", "1", "--report", report.toString());
        assertEquals(0, digits.code, digits.err);
        String page = Files.readString(report);
        assertTrue(page.contains("<h1>Training run of DigitsCnn</h1>") && page.contains("1 of 1 epochs"), page);
        assertTrue(page.contains("Confusion matrix (validation set"), "the test set's confusion matrix");
        Result gan = run("train", "--model", "gan", "--report", report.toString());
        assertEquals(ExitCodes.USAGE, gan.code, gan.err);
        assertTrue(gan.err.contains("a run report is written for the classifiers only, found --model gan"), gan.err);
        Result both = run("train", "--model", "digits", "--report", report.toString(), "--no-report");
        assertEquals(ExitCodes.USAGE, both.code, both.err);
        assertTrue(both.err.contains("expected --report FILE or --no-report, found both"), both.err);
    }

    @Test
    void trainResumesFromItsCheckpointsAsIfNeverStopped(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        Path halves = dir.resolve("halves");
        assertEquals(0, run("train", "--model", "digits", "--epochs", "2", "--no-report", "--checkpoints",
                whole.toString()).code);
        assertEquals(0, run("train", "--model", "digits", "--epochs", "1", "--no-report", "--checkpoints",
                halves.toString()).code);
        assertTrue(TrainingCheckpoint.latest(halves).endsWith("epoch-1"), "one epoch saved");
        assertEquals(0, run("train", "--model", "digits", "--epochs", "2", "--no-report", "--checkpoints",
                halves.toString()).code);
        Path resumed = TrainingCheckpoint.latest(halves);
        assertTrue(resumed.endsWith("epoch-2"), "the second run went on to epoch 2: " + resumed);
        assertArrayEquals(Files.readAllBytes(TrainingCheckpoint.latest(whole).resolve("model.safetensors")),
                Files.readAllBytes(resumed.resolve("model.safetensors")), "the same parameters, bit for bit");
        Result gan = run("train", "--model", "gan", "--checkpoints", halves.toString());
        assertEquals(ExitCodes.USAGE, gan.code, gan.err);
        assertTrue(gan.err.contains("training checkpoints are written for the classifiers only"), gan.err);
    }

    @Test
    void aDeviceThatCannotTrainIsExitCodeThree() throws Exception {
        // an index past the machine's devices: refused with or without a GPU here
        Result cuda = run("train", "--model", "digits", "--epochs", "1", "--device", "cuda:99");
        assertEquals(ExitCodes.GPU_UNAVAILABLE, cuda.code, cuda.err);
        assertTrue(cuda.err.startsWith("--device cuda:99: "), cuda.err);
    }

    /** The README's sample-commands paragraph lists the models of the registry, in its order, in its words. */
    @Test
    void theReadmeListsTheRegistrysModels() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int heading = lines.indexOf("The models of `train --model` (the list `SampleModel` holds, which the help"
                + " shows too):");
        assertTrue(heading >= 0, "the README introduces its model list");
        List<String> listed = new ArrayList<>();
        for (int i = heading + 1; i < lines.size() && lines.get(i).startsWith("- `"); i++) {
            listed.add(lines.get(i));
        }
        List<String> registry = Arrays.stream(SampleModel.values()).map(m -> "- `" + m.cliName() + "`: "
                + m.summary()).toList();
        assertEquals(registry, listed);

        String bench = lines.stream().filter(l -> l.contains("lamina-samples.jar bench --model ")).findFirst()
                .orElseThrow(() -> new AssertionError("the README shows the bench command"));
        String models = bench.substring(bench.indexOf("--model ") + "--model ".length()).split(" ")[0];
        assertEquals(SampleModel.names(SampleModel.benchmarkedModels()), models.replace("|", ", "));
    }

    @Test
    void eachModelIsFoundByItsName() {
        for (SampleModel model : SampleModel.values()) {
            assertEquals(model, SampleModel.of(model.cliName()));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Result run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
    }
}
