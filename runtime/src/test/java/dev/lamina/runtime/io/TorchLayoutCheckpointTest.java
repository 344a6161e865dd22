package dev.lamina.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;
import dev.lamina.runtime.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Tensor.FileLayout} and {@link Checkpoint} in PyTorch's layouts on a hand-made model: a convolution weight
 * {@code [2, 1, 2, 3]} (channels last) that files hold as {@code [2, 3, 1, 2]}, a renamed bias, a batch norm's
 * running statistics; old files (Lamina's layouts, no layout version) and unknown versions.
 */
class TorchLayoutCheckpointTest {
    @TempDir
    Path dir;

    /** A model with no passes: only its tensors matter here. */
    private static final class Tensors implements Model {
        private final NetworkState state = new NetworkState("tensors", Loss.MEAN_SQUARED_ERROR, new int[] {1}, 1,
                12 + 2, 4, 1, 0);

        Tensors() {
            state.parameter("conv.weight", Tensor.Kind.WEIGHT, new int[] {2, 1, 2, 3}, 0, 0f);
            state.parameter("rnn.bias_ih", Tensor.Kind.BIAS, new int[] {2}, 12, 0f);
            state.buffer("bn.running_mean", new int[] {2}, 0);
            state.buffer("bn.running_var", new int[] {2}, 2);
            state.fileLayout("conv.weight", "conv.weight", new int[] {2, 1, 2, 3}, new int[] {0, 3, 1, 2},
                    new int[] {2, 3, 1, 2});
            state.fileLayout("rnn.bias_ih", "rnn.bias_ih_l0", new int[] {2}, new int[] {0}, new int[] {2});
            for (int i = 0; i < 14; i++) {
                state.parameters().floats().put(i, i);
            }
            for (int i = 0; i < 4; i++) {
                state.buffers().floats().put(i, 100 + i);
            }
        }

        @Override
        public NetworkState state() {
            return state;
        }

        @Override
        public void forward(int batch) {
        }

        @Override
        public double loss(int batch) {
            return 0;
        }

        @Override
        public void backward(int batch) {
        }

        @Override
        public float output(int row, int k) {
            return 0;
        }
    }

    @Test
    void aConvolutionsChannelsLastWeightIsWrittenChannelsFirst() {
        Tensor.FileLayout oihw = new Tensor.FileLayout("w", new int[] {2, 1, 2, 3}, new int[] {0, 3, 1, 2},
                new int[] {2, 3, 1, 2});
        float[] memory = new float[12];
        for (int i = 0; i < 12; i++) {
            memory[i] = i; // [o][kh=0][kw][c] at o * 6 + kw * 3 + c
        }
        // file [o][c][kh=0][kw]: for o = 0, c = 0: kw 0, 1 are memory 0, 3; c = 1: 1, 4; c = 2: 2, 5
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11}, oihw.toFile(memory));
        assertArrayEquals(memory, oihw.toMemory(oihw.toFile(memory)));
        assertTrue(!oihw.keepsOrder());
    }

    @Test
    void aDenseWeightAfterAFlattenTakesItsColumnsInChannelHeightWidthOrder() {
        // one unit reading a 2 x 1 x 2 map (C x H x W): Lamina's columns (h, w, c), PyTorch's (c, h, w)
        Tensor.FileLayout columns = new Tensor.FileLayout("f.weight", new int[] {1, 1, 2, 2},
                new int[] {0, 3, 1, 2}, new int[] {1, 4});
        // memory columns: (w0, c0), (w0, c1), (w1, c0), (w1, c1); file: (c0, w0), (c0, w1), (c1, w0), (c1, w1)
        assertArrayEquals(new float[] {10, 12, 11, 13}, columns.toFile(new float[] {10, 11, 12, 13}));
    }

    @Test
    void aLayoutThatIsNoPermutationIsRefused() {
        String message = assertThrows(IllegalArgumentException.class, () -> new Tensor.FileLayout("w",
                new int[] {2, 3}, new int[] {0, 0}, new int[] {2, 3})).getMessage();
        assertTrue(message.contains("expected a permutation") && message.contains("[0, 0]"), message);
        message = assertThrows(IllegalArgumentException.class, () -> new Tensor.FileLayout("w", new int[] {2, 3},
                new int[] {1, 0}, new int[] {5})).getMessage();
        assertTrue(message.contains("[5]") && message.contains("[2, 3]"), message);
    }

    @Test
    void savesPyTorchsNamesLayoutsAndBatchCounterAndLoadsThemBack() throws IOException {
        Tensors source = new Tensors();
        Path file = dir.resolve("t.safetensors");
        Checkpoint.save(source, file);
        String header = header(file);
        assertTrue(header.contains("\"lamina_layout\":\"pytorch-1\""), header);
        assertTrue(header.contains("\"conv.weight\":{\"dtype\":\"F32\",\"shape\":[2,3,1,2]"), header);
        assertTrue(header.contains("\"rnn.bias_ih_l0\":{\"dtype\":\"F32\",\"shape\":[2]"), header);
        assertTrue(header.contains("\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[]"), header);
        float[] conv = floats(file, 0, 12);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11}, conv);

        Tensors target = new Tensors();
        target.state().parameters().fill(0f);
        target.state().buffers().fill(0f);
        LoadReport report = Checkpoint.load(target, file, Checkpoint.Options.strict());
        assertEquals(0, report.unused().size(), "num_batches_tracked is expected, not unused: " + report);
        assertArrayEquals(source.parameterArray(), target.parameterArray());
        assertArrayEquals(source.bufferTensors().get(1).toArray(), target.bufferTensors().get(1).toArray());
    }

    @Test
    void aFileOfAnEarlierLaminaLoadsInLaminasOwnLayouts() throws IOException {
        Tensors source = new Tensors();
        // as Checkpoint wrote before layout versions: Lamina's names, shapes and order, a network name
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\",\"network\":\"tensors\"}");
        int offset = 0;
        ByteBuffer data = ByteBuffer.allocate(4 * 18).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : source.parameterTensors()) {
            offset = entry(json, t, offset, data);
        }
        for (Tensor t : source.bufferTensors()) {
            offset = entry(json, t, offset, data);
        }
        Path file = write(json.append('}').toString(), data.array());
        Tensors target = new Tensors();
        target.state().parameters().fill(0f);
        Checkpoint.load(target, file);
        assertArrayEquals(source.parameterArray(), target.parameterArray());
    }

    @Test
    void anUnknownLayoutVersionIsRefusedNamingIt() throws IOException {
        Path file = write("{\"__metadata__\":{\"network\":\"tensors\",\"lamina_layout\":\"pytorch-9\"}}", new byte[0]);
        String message = assertThrows(IOException.class, () -> Checkpoint.load(new Tensors(), file)).getMessage();
        assertTrue(message.contains("pytorch-9") && message.contains("pytorch-1"), message);
    }

    @Test
    void aPyTorchFileInLaminasLayoutIsRefusedNamingTheShapes() throws IOException {
        // no metadata: PyTorch's layouts expected; a channels-last convolution weight does not fit
        Tensors source = new Tensors();
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        ByteBuffer data = ByteBuffer.allocate(4 * 18).order(ByteOrder.LITTLE_ENDIAN);
        int offset = 0;
        for (Tensor t : source.parameterTensors()) {
            offset = entry(json, t, offset, data);
        }
        for (Tensor t : source.bufferTensors()) {
            offset = entry(json, t, offset, data);
        }
        Path file = write(json.append('}').toString(), data.array());
        String message = assertThrows(IOException.class, () -> Checkpoint.load(new Tensors(), file)).getMessage();
        assertTrue(message.contains("expected F32 [2, 3, 1, 2], found F32 [2, 1, 2, 3]"), message);
    }

    private static int entry(StringBuilder json, Tensor t, int offset, ByteBuffer data) {
        int end = offset + 4 * t.length();
        json.append(",\"").append(t.name()).append("\":{\"dtype\":\"F32\",\"shape\":")
                .append(java.util.Arrays.toString(t.shape()).replace(" ", "")).append(",\"data_offsets\":[")
                .append(offset).append(',').append(end).append("]}");
        for (float v : t.toArray()) {
            data.putFloat(v);
        }
        return end;
    }

    private Path write(String json, byte[] data) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(header.length).put(header).put(data);
        Path path = dir.resolve("hand.safetensors");
        Files.write(path, file.array());
        return path;
    }

    private static String header(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long length = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(all, 8, (int) length, StandardCharsets.UTF_8);
    }

    private static float[] floats(Path file, int from, int count) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int start = 8 + (int) b.getLong(0) + 4 * from;
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = b.getFloat(start + 4 * i);
        }
        return out;
    }
}
