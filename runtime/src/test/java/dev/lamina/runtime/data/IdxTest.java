package dev.lamina.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, item 10: every bad IDX file is an IOException naming the file, what was expected and found. */
class IdxTest {
    @TempDir
    Path dir;

    private String error(int... bytes) throws IOException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        Path p = dir.resolve("bad-idx1-ubyte");
        Files.write(p, b);
        String message = assertThrows(IOException.class, () -> Idx.read(p)).getMessage();
        assertTrue(message.startsWith(p + ": "), message);
        return message;
    }

    @Test
    void aGoodFile() throws IOException {
        Path p = dir.resolve("ok");
        Files.write(p, new byte[] {0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 2, 7, (byte) 200});
        Idx.Array a = Idx.read(p);
        assertArrayEquals(new int[] {1, 2}, a.dims());
        assertArrayEquals(new int[] {7, 200}, a.values());
    }

    @Test
    void emptyOrTruncatedHeader() throws IOException {
        assertTrue(error().contains("truncated header: expected a 4-byte magic number 0x000008NN at byte 0, the file"
                + " ends at once (it is empty)"));
        assertTrue(error(0, 0).contains("the file ends after 2 bytes"));
        assertTrue(error(0, 0, 8, 3, 0, 0, 0, 1, 0, 0)
                .contains("expected the 4-byte size of dimension 2 of 3 at byte 8, the file ends after 10 bytes"));
    }

    @Test
    void negativeOrAbsurdSizes() throws IOException {
        assertTrue(error(0, 0, 8, 1, 0xff, 0xff, 0xff, 0xfb)
                .contains("expected sizes >= 0, found -5 for dimension 1 of 1"));
        assertTrue(error(0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0).contains("more than an array holds"));
        assertTrue(error(0, 0, 8, 1, 0x40, 0, 0, 0, 1, 2, 3)
                .contains("truncated: the header says [1073741824] = 1073741824 values, the file ends after 3"));
    }

    @Test
    void wrongMagicOrExtraBytes() throws IOException {
        assertTrue(error(0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0)
                .contains("expected magic 0x000008NN with rank 1..4, found 0x00000d01"));
        assertTrue(error(0, 0, 8, 1, 0, 0, 0, 1, 5, 6)
                .contains("expected the file to end after the 1 values of [1], found more bytes"));
    }

    @Test
    void mnistNamesTheLabelsFileOfALabelOutOfRange() throws IOException {
        for (String prefix : new String[] {"train", "t10k"}) {
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0,
                0, 0, 1, 9});
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 12});
        }
        IOException e = assertThrows(IOException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().equals(dir.resolve("train-labels-idx1-ubyte") + ": expected labels 0..9, found 12"
                + " for sample 0"), e.getMessage());
    }
}
