package dev.lamina.processor.failloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.FailLoudNets_SmallNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.io.Checkpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, item 10: a damaged checkpoint is an error naming the file and the tensor; the model is unchanged. */
class CheckpointValidationTest {
    @TempDir
    Path dir;

    /** Saves a network, rewrites the header with {@code edit} and appends {@code extra} bytes to the data. */
    private Path damaged(UnaryOperator<String> edit, int extra) throws IOException {
        Path p = dir.resolve("small.safetensors");
        Checkpoint.save(FailLoudNets_SmallNet.create(1), p);
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        int length = (int) file.getLong(0);
        String header = edit.apply(new String(file.array(), 8, length, StandardCharsets.UTF_8).strip());
        StringBuilder padded = new StringBuilder(header);
        while (padded.length() % 8 != 0) {
            padded.append(' ');
        }
        byte[] json = padded.toString().getBytes(StandardCharsets.UTF_8);
        int data = file.limit() - 8 - length;
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + data + extra).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(file.array(), 8 + length, data);
        Files.write(p, out.array());
        return p;
    }

    private static String loadError(Path p) {
        Model m = FailLoudNets_SmallNet.create(0);
        float[] before = m.parameterArray();
        String message = assertThrows(IOException.class, () -> Checkpoint.load(m, p)).getMessage();
        assertArrayEquals(before, m.parameterArray(), "a failed load changes nothing");
        assertTrue(message.startsWith(p.toString()), message);
        return message;
    }

    @Test
    void anEntryWithoutAShapeIsAnErrorNotANullPointerException() throws IOException {
        Path p = damaged(h -> h.replace("\"out.bias\":{\"dtype\":\"F32\",\"shape\":[3],",
                "\"out.bias\":{\"dtype\":\"F32\","), 0);
        String m = loadError(p);
        assertTrue(m.contains("tensor out.bias: expected a shape (a list of integers >= 0), found null"), m);
    }

    @Test
    void offsetsAFewBytesOffAreAnError() throws IOException {
        // shift the last tensor by 4 bytes into 4 more bytes of file: today it loads, 4 bytes off
        Path p = damaged(h -> {
            int at = h.indexOf("\"out.bias\"");
            String tail = h.substring(at);
            int open = tail.indexOf("[", tail.indexOf("data_offsets"));
            int close = tail.indexOf("]", open);
            long[] o = Arrays.stream(tail.substring(open + 1, close).split(",")).mapToLong(Long::parseLong)
                    .toArray();
            return h.substring(0, at) + tail.substring(0, open) + "[" + (o[0] + 4) + "," + (o[1] + 4)
                    + tail.substring(close);
        }, 4);
        String m = loadError(p);
        assertTrue(m.contains("tensor out.bias: expected its data to begin at") && m.contains(": a gap"), m);
    }

    @Test
    void extraBytesAfterTheDataAreAnError() throws IOException {
        String m = loadError(damaged(h -> h, 8));
        assertTrue(m.contains("8 bytes left over"), m);
    }
}
