package dev.lamina.runtime.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST: a magic number {@code 0 0 type rank}, the sizes as big-endian ints,
 * then the data. Only unsigned bytes (type 0x08) occur in those sets and only they are read. Gzipped files are
 * recognised by their first two bytes, whatever their name.
 */
public final class Idx {
    /** The dimensions and the values (0..255) of one IDX file. */
    public record Array(int[] dims, int[] values) {
    }

    private Idx() {
    }

    public static Array read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "IDX file not found");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            return read(in, path.toString());
        }
    }

    static Array read(InputStream stream, String name) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
        int magic = in.readInt();
        int type = (magic >> 8) & 0xff;
        int rank = magic & 0xff;
        if ((magic >>> 16) != 0 || type != 0x08 || rank < 1 || rank > 4) {
            throw new IOException(name + ": not an IDX file of unsigned bytes: expected magic 0x000008NN with rank"
                    + " 1..4, found 0x" + String.format("%08x", magic));
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            count *= dims[i];
        }
        if (count > Integer.MAX_VALUE) {
            throw new IOException(name + ": " + Arrays.toString(dims) + " is too large");
        }
        byte[] bytes = new byte[(int) count];
        try {
            in.readFully(bytes);
        } catch (java.io.EOFException e) {
            throw new IOException(name + ": truncated: header says " + Arrays.toString(dims) + " = " + count
                    + " values, the file ends early", e);
        }
        int[] values = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = bytes[i] & 0xff;
        }
        return new Array(dims, values);
    }
}
