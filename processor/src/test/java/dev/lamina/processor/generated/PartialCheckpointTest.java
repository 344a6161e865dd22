package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.FailLoudNets_SmallNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.io.LoadReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17, item 1: checkpoint loads that can be partial and rename, with a report; strict stays the default. */
class PartialCheckpointTest {
    @TempDir
    Path dir;

    /** One tensor of a hand-written file. */
    record T(String name, int[] shape, float[] values) {
        static T of(Tensor t) {
            return new T(t.name(), t.shape(), t.toArray());
        }

        T named(String other) {
            return new T(other, shape, values);
        }
    }

    /** Writes a safetensors file of {@code tensors} in order (F32, little-endian). */
    private Path write(String file, List<T> tensors) throws IOException {
        StringBuilder h = new StringBuilder("{");
        long offset = 0;
        for (T t : tensors) {
            long end = offset + 4L * t.values().length;
            h.append(h.length() > 1 ? "," : "").append('"').append(t.name()).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(t.shape()).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        h.append('}');
        byte[] json = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        for (T t : tensors) {
            for (float v : t.values()) {
                out.putFloat(v);
            }
        }
        Path p = dir.resolve(file);
        Files.write(p, out.array());
        return p;
    }

    private static List<T> all(Model m) {
        List<T> out = new ArrayList<>();
        for (Tensor t : m.parameterTensors()) {
            out.add(T.of(t));
        }
        for (Tensor t : m.bufferTensors()) {
            out.add(T.of(t));
        }
        return out;
    }

    private static Tensor tensor(Model m, String name) {
        return m.parameterTensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static int[] bits(float[] values) {
        int[] b = new int[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = Float.floatToRawIntBits(values[i]);
        }
        return b;
    }

    private static int[] bits(Tensor t) {
        return bits(t.toArray());
    }

    @Test
    void strictOptionsAreTheDefaultLoad() throws IOException {
        Model source = FailLoudNets_SmallNet.create(1);
        Path p = dir.resolve("a.safetensors");
        Checkpoint.save(source, p);
        Model m = FailLoudNets_SmallNet.create(2);
        m.setTraining(true);
        LoadReport r = Checkpoint.load(m, p, Checkpoint.Options.strict());
        assertArrayEquals(bits(source.parameterArray()), bits(m.parameterArray()));
        assertFalse(m.isTraining());
        assertTrue(r.complete());
        assertEquals(List.of("hidden.weight", "hidden.bias", "out.weight", "out.bias"), r.loaded());
        assertEquals(List.of(), r.unused());
        assertEquals(List.of(), r.mismatches());
    }

    @Test
    void strictShapeMismatchIsAnErrorSayingExpectedAndFoundAndChangesNothing() throws IOException {
        Model source = FailLoudNets_SmallNet.create(1);
        List<T> file = all(source);
        int[] shape = tensor(source, "out.weight").shape();
        file.set(2, new T("out.weight", new int[] {shape[0] + 2, shape[1]}, new float[(shape[0] + 2) * shape[1]]));
        Path p = write("bad.safetensors", file);
        Model m = FailLoudNets_SmallNet.create(2);
        float[] before = m.parameterArray();
        String message = assertThrows(IOException.class, () -> Checkpoint.load(m, p, Checkpoint.Options.strict()))
                .getMessage();
        assertTrue(message.contains("out.weight: expected F32 " + Arrays.toString(shape) + ", found F32 "
                + Arrays.toString(new int[] {shape[0] + 2, shape[1]})), message);
        assertArrayEquals(bits(before), bits(m.parameterArray()), "a failed strict load changes nothing");
        assertThrows(IOException.class, () -> Checkpoint.load(m, p));
        assertArrayEquals(bits(before), bits(m.parameterArray()));
    }

    @Test
    void partialLoadsExactlyTheMatchingTensorsAndReportsTheRest() throws IOException {
        Model source = FailLoudNets_SmallNet.create(1);
        int[] shape = tensor(source, "out.weight").shape();
        int[] wrong = {shape[0] + 2, shape[1]};
        List<T> file = new ArrayList<>(List.of(T.of(tensor(source, "hidden.weight")),
                new T("extra.x", new int[] {2}, new float[] {1, 2}),
                new T("out.weight", wrong, new float[wrong[0] * wrong[1]]),
                T.of(tensor(source, "hidden.bias"))));
        Path p = write("partial.safetensors", file);
        Model m = FailLoudNets_SmallNet.create(2);
        int[] outWeight = bits(tensor(m, "out.weight"));
        int[] outBias = bits(tensor(m, "out.bias"));
        m.setTraining(true);
        LoadReport r = Checkpoint.load(m, p, Checkpoint.Options.partial());

        assertArrayEquals(bits(tensor(source, "hidden.weight")), bits(tensor(m, "hidden.weight")));
        assertArrayEquals(bits(tensor(source, "hidden.bias")), bits(tensor(m, "hidden.bias")));
        assertArrayEquals(outWeight, bits(tensor(m, "out.weight")), "a mismatched tensor is never loaded");
        assertArrayEquals(outBias, bits(tensor(m, "out.bias")), "a missing tensor is left as it was");
        assertFalse(m.isTraining(), "a load that wrote something leaves inference mode, as strict does");

        assertEquals(List.of("hidden.weight", "hidden.bias"), r.loaded());
        assertEquals(List.of("out.weight", "out.bias"), r.kept());
        assertEquals(List.of("extra.x", "out.weight"), r.unused());
        assertEquals(List.of(new LoadReport.Mismatch("out.weight", "out.weight", shape, "F32", wrong)),
                r.mismatches());
        assertFalse(r.complete());
        String text = r.toString();
        assertEquals("Loaded 2 of 4 tensors from " + p + "\n"
                + "  loaded (2): hidden.weight, hidden.bias\n"
                + "  kept as they were (2): out.weight, out.bias\n"
                + "  in the file, not used (2): extra.x, out.weight\n"
                + "  mismatched (not loaded):\n"
                + "    out.weight: expected F32 " + Arrays.toString(shape) + ", found F32 "
                + Arrays.toString(wrong), text);
    }

    @Test
    void renamesByPrefixApplyToTheFileNamesBeforeMatching() throws IOException {
        Model source = FailLoudNets_SmallNet.create(1);
        List<T> file = new ArrayList<>();
        for (T t : all(source)) {
            file.add(t.named(t.name().startsWith("hidden.") ? "features." + t.name() : "head." + t.name()));
        }
        Path p = write("renamed.safetensors", file);
        Model m = FailLoudNets_SmallNet.create(2);
        float[] before = m.parameterArray();
        assertThrows(IOException.class, () -> Checkpoint.load(m, p), "strict without renames: nothing matches");
        assertArrayEquals(bits(before), bits(m.parameterArray()));

        LoadReport r = Checkpoint.load(m, p, Checkpoint.Options.strict().rename("features.", "")
                .rename("head.", ""));
        assertArrayEquals(bits(source.parameterArray()), bits(m.parameterArray()));
        assertTrue(r.complete(), r.toString());

        // partial with one rule: only the features load
        Model n = FailLoudNets_SmallNet.create(3);
        int[] out = bits(tensor(n, "out.weight"));
        LoadReport q = Checkpoint.load(n, p, Checkpoint.Options.partial().rename("features.", ""));
        assertEquals(List.of("hidden.weight", "hidden.bias"), q.loaded());
        assertEquals(List.of("head.out.weight", "head.out.bias"), q.unused());
        assertArrayEquals(bits(tensor(source, "hidden.weight")), bits(tensor(n, "hidden.weight")));
        assertArrayEquals(out, bits(tensor(n, "out.weight")));
        assertEquals("partial, renaming \"features.\" to \"\"",
                Checkpoint.Options.partial().rename("features.", "").toString());
    }

    @Test
    void aRenamedMismatchNamesBothNames() throws IOException {
        Path p = write("m.safetensors", List.of(new T("head.out.bias", new int[] {7}, new float[7])));
        Model m = FailLoudNets_SmallNet.create(2);
        LoadReport r = Checkpoint.load(m, p, Checkpoint.Options.partial().rename("head.", ""));
        assertEquals("out.bias", r.mismatches().get(0).name());
        assertEquals("head.out.bias", r.mismatches().get(0).fileName());
        assertTrue(r.mismatches().get(0).toString().startsWith("out.bias (head.out.bias in the file): expected F32"),
                r.toString());
        assertEquals(List.of(), r.loaded());
    }

    @Test
    void twoFileTensorsRenamedToOneNameAreAnErrorBeforeAnythingIsWritten() throws IOException {
        Model source = FailLoudNets_SmallNet.create(1);
        List<T> file = all(source);
        file.add(T.of(tensor(source, "out.bias")).named("old.out.bias"));
        Path p = write("twice.safetensors", file);
        Model m = FailLoudNets_SmallNet.create(2);
        float[] before = m.parameterArray();
        String message = assertThrows(IOException.class,
                () -> Checkpoint.load(m, p, Checkpoint.Options.partial().rename("old.", ""))).getMessage();
        assertTrue(message.contains("out.bias and old.out.bias are both renamed to out.bias"), message);
        assertArrayEquals(bits(before), bits(m.parameterArray()));
    }

    @Test
    void aDamagedFileFailsAPartialLoadBeforeAnythingIsWritten() throws IOException {
        Model source = FailLoudNets_SmallNet.create(1);
        Path good = dir.resolve("good.safetensors");
        Checkpoint.save(source, good);
        byte[] bytes = Files.readAllBytes(good);
        Path p = dir.resolve("cut.safetensors");
        Files.write(p, Arrays.copyOf(bytes, bytes.length - 4)); // the last tensor's data cut short
        Model m = FailLoudNets_SmallNet.create(2);
        float[] before = m.parameterArray();
        assertThrows(IOException.class, () -> Checkpoint.load(m, p, Checkpoint.Options.partial()));
        assertArrayEquals(bits(before), bits(m.parameterArray()), "the matching tensors were not loaded either");
    }

    @Test
    void aPartialLoadThatMatchesNothingChangesNothing() throws IOException {
        Path p = write("none.safetensors", List.of(new T("other.w", new int[] {1}, new float[] {1})));
        Model m = FailLoudNets_SmallNet.create(2);
        m.setTraining(true);
        float[] before = m.parameterArray();
        LoadReport r = Checkpoint.load(m, p, Checkpoint.Options.partial());
        assertArrayEquals(bits(before), bits(m.parameterArray()));
        assertTrue(m.isTraining(), "nothing was loaded: the mode is as it was");
        assertEquals(List.of("other.w"), r.unused());
        assertEquals(4, r.kept().size());
    }
}
