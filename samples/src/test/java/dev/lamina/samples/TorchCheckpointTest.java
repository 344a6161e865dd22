package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.io.Checkpoint;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints in PyTorch's layouts, both ways, on the bench models (the peers' LeNet and ResNet, as the samples'
 * {@link LeNet5} and {@link PeerResNet}). Fixtures in {@code src/test/resources/torch-checkpoints}, written by
 * {@code src/test/python/torch_checkpoints.py}: PyTorch's state dicts as safetensors, an input batch and PyTorch's
 * logits. Lamina loads PyTorch's file and reproduces its logits; a checkpoint Lamina then saves holds PyTorch's
 * tensors bit for bit; and, where Python has torch, PyTorch loads a checkpoint Lamina wrote with
 * {@code strict=True} and reproduces Lamina's logits.
 */
class TorchCheckpointTest {
    /** Logits agree when {@code max |lamina - torch| <= TOLERANCE * max(1, max |torch|)}: float32 sums in another order. */
    private static final double TOLERANCE = 1e-5;
    private static final Pattern ENTRY = Pattern.compile(
            "\"([^\"]+)\":\\{\"dtype\":\"([A-Z0-9_]+)\",\"shape\":\\[([0-9,]*)\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "resnet"})
    void loadsPyTorchsStateDictAndReproducesItsLogits(String name) throws Exception {
        Model model = create(name, 0);
        Checkpoint.load(model, fixture(name + ".safetensors"));
        Map<String, float[][]> batch = rows(fixture(name + ".txt"));
        float[] input = flat(batch.get("input"));
        float[] expected = flat(batch.get("logits"));
        double error = worst(model.predict(input, batch.get("input").length), expected);
        System.out.printf("torch-checkpoint %s: lamina vs pytorch logits, worst %.3g (scaled)%n", name, error);
        assertTrue(error <= TOLERANCE, name + ": logits differ from PyTorch's by " + error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "resnet"})
    void savesPyTorchsTensorsBitForBit(String name) throws Exception {
        Model model = create(name, 0);
        Path torch = fixture(name + ".safetensors");
        Checkpoint.load(model, torch);
        Path saved = dir.resolve(name + ".safetensors");
        Checkpoint.save(model, saved);
        Map<String, byte[]> expected = tensors(torch);
        Map<String, byte[]> found = tensors(saved);
        assertEquals(expected.keySet(), found.keySet(), name + ": tensor names, dtypes and shapes");
        expected.forEach((tensor, bytes) -> assertArrayEquals(bytes, found.get(tensor), name + ": " + tensor));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "resnet"})
    void pyTorchLoadsLaminasCheckpointStrictly(String name) throws Exception {
        String python = PythonWithTorch.find();
        Assumptions.assumeTrue(python != null, "no python3 with torch (tried python3 and /usr/bin/python3)");
        Model model = create(name, 7);
        Path batchFile = fixture(name + ".txt");
        float[][] rows = rows(batchFile).get("input");
        float[] input = flat(rows);
        trainingPass(model, input, rows.length);
        if (name.equals("resnet")) {
            Tensor mean = model.bufferTensors().get(0);
            assertTrue(Arrays.stream(box(mean.toArray())).anyMatch(v -> v != 0f), mean + " left at its initial zeros");
        }
        Path checkpoint = dir.resolve(name + ".safetensors");
        Checkpoint.save(model, checkpoint);
        Path out = dir.resolve(name + "-logits.txt");
        Process p = new ProcessBuilder(python, script().toString(), "logits", name, checkpoint.toString(),
                batchFile.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "torch_checkpoints.py did not finish");
        assertEquals(0, p.exitValue(), "torch_checkpoints.py failed:\n" + log);
        double error = worst(model.predict(input, rows.length), flat(rows(out).get("logits")));
        System.out.printf("torch-checkpoint %s: pytorch (strict load of lamina's file) vs lamina logits, worst %.3g%n",
                name, error);
        assertTrue(error <= TOLERANCE, name + ": PyTorch's logits differ from Lamina's by " + error);
    }

    private static Model create(String name, long seed) {
        return switch (name) {
            case "lenet" -> LeNet5Net.create(seed);
            case "resnet" -> PeerResNetNet.create(seed);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** One training-mode forward pass: batch norm's running statistics move away from 0 and 1. */
    private static void trainingPass(Model model, float[] input, int n) {
        model.setTraining(true);
        model.reserve(n);
        for (int i = 0; i < n; i++) {
            model.setInput(i, input, i * model.inputSize());
        }
        model.forward(n);
        model.setTraining(false);
    }

    private static Float[] box(float[] values) {
        Float[] out = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** The largest difference, over {@code max(1, max |expected|)}. */
    private static double worst(float[] found, float[] expected) {
        assertEquals(expected.length, found.length, "logit count");
        double scale = 1;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs((double) found[i] - expected[i]));
        }
        return worst / scale;
    }

    /** A text fixture: blocks of {@code label rows size}, then the rows, one per line. */
    private static Map<String, float[][]> rows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        Map<String, float[][]> blocks = new TreeMap<>();
        for (int at = 0; at < lines.size(); ) {
            String[] head = lines.get(at++).split(" ");
            float[][] block = new float[Integer.parseInt(head[1])][];
            for (int r = 0; r < block.length; r++) {
                String[] values = lines.get(at++).trim().split(" ");
                assertEquals(Integer.parseInt(head[2]), values.length, file + ": row " + r + " of " + head[0]);
                block[r] = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    block[r][i] = Float.parseFloat(values[i]);
                }
            }
            blocks.put(head[0], block);
        }
        return blocks;
    }

    private static float[] flat(float[][] rows) {
        int size = rows[0].length;
        float[] out = new float[rows.length * size];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * size, size);
        }
        return out;
    }

    /** A safetensors file's tensors, keyed by {@code name dtype shape}, each its raw bytes. */
    private static Map<String, byte[]> tensors(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int headerLength = (int) ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(all, 8, headerLength, StandardCharsets.UTF_8);
        Map<String, byte[]> out = new TreeMap<>();
        Matcher m = ENTRY.matcher(header);
        while (m.find()) {
            int begin = 8 + headerLength + Integer.parseInt(m.group(4));
            int end = 8 + headerLength + Integer.parseInt(m.group(5));
            out.put(m.group(1) + " " + m.group(2) + " [" + m.group(3) + "]", Arrays.copyOfRange(all, begin, end));
        }
        assertTrue(out.size() > 0, file + ": no tensors in header " + header);
        return out;
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(TorchCheckpointTest.class.getResource("/torch-checkpoints/" + name).toURI());
    }

    private static Path script() {
        return Path.of("src", "test", "python", "torch_checkpoints.py").toAbsolutePath();
    }
}
