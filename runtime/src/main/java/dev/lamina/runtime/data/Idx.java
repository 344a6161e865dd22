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
    /**
     * The dimensions and the values (0..255) of one IDX file.
     *
     * @param dims the sizes of the dimensions
     * @param values the values, 0 to 255, row-major
     */
    public record Array(int[] dims, int[] values) {
    }

    private Idx() {
    }

    /**
     * Reads an IDX file of unsigned bytes, gzipped or not; throws {@link java.nio.file.NoSuchFileException} when it is
     * absent and an {@link IOException} naming the file for another type or a truncated body.
     *
     * @param path the IDX file
     * @return its dimensions and values
     * @throws IOException when it is absent, unreadable or malformed
     */
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

    /**
     * Reads one IDX array; every way a file can be wrong (empty, cut short in the header or the data, a wrong
     * magic, a negative or too large size, bytes after the data) is an {@link IOException} naming the file, what was
     * expected and what was found. The data is read in chunks before anything of the header's size is allocated,
     * so an absurd size in a small file costs nothing.
     */
    static Array read(InputStream stream, String name) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
        int magic = readInt(in, name, "a 4-byte magic number 0x000008NN", 0);
        int type = (magic >> 8) & 0xff;
        int rank = magic & 0xff;
        if ((magic >>> 16) != 0 || type != 0x08 || rank < 1 || rank > 4) {
            throw new IOException(name + ": not an IDX file of unsigned bytes: expected magic 0x000008NN with rank"
                    + " 1..4, found 0x" + String.format("%08x", magic));
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = readInt(in, name, "the 4-byte size of dimension " + (i + 1) + " of " + rank, 4 + 4 * i);
            if (dims[i] < 0) {
                throw new IOException(name + ": expected sizes >= 0, found " + dims[i] + " for dimension " + (i + 1)
                        + " of " + rank);
            }
            count *= dims[i];
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(name + ": the sizes " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " make more than " + (Integer.MAX_VALUE - 8) + " values, more than an array holds");
            }
        }
        byte[] bytes = in.readNBytes((int) count);
        if (bytes.length < count) {
            throw new IOException(name + ": truncated: the header says " + Arrays.toString(dims) + " = " + count
                    + " values, the file ends after " + bytes.length);
        }
        if (in.read() >= 0) {
            throw new IOException(name + ": expected the file to end after the " + count + " values of "
                    + Arrays.toString(dims) + ", found more bytes");
        }
        int[] values = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = bytes[i] & 0xff;
        }
        return new Array(dims, values);
    }

    /** A big-endian int of the header at byte {@code offset}, or an error saying where the file ends. */
    private static int readInt(DataInputStream in, String name, String expected, int offset) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new IOException(name + ": truncated header: expected " + expected + " at byte " + offset
                    + ", the file ends " + (offset + b.length == 0 ? "at once (it is empty)"
                    : "after " + (offset + b.length) + " bytes"));
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
