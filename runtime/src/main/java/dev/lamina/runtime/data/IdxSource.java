package dev.lamina.runtime.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Images and labels of IDX files (MNIST, Fashion-MNIST) read a row at a time from memory-mapped files: pixels scaled
 * to [0, 1], shape {@code [1, rows, cols]}, labels one-hot. The data is never copied into the Java heap; the
 * operating system pages it in as it is read. A gzipped file (recognised by its first two bytes) is decompressed
 * once, in chunks, to a temporary file that is mapped and deleted at once (where the system keeps mapped files,
 * when the source is {@linkplain #close closed} or the JVM exits). The headers are checked as {@link Idx#read}
 * checks them; a file whose size does not match its header is an {@link IOException} naming it.
 */
public final class IdxSource implements DataSource, AutoCloseable {
    /** Bytes per mapping at most: a buffer is indexed by an int, so larger files are mapped in parts. */
    private static final long MAX_MAPPING = Integer.MAX_VALUE - 8;
    /** Each reading thread's copy of one row's bytes. */
    private static final ThreadLocal<byte[]> ROW = ThreadLocal.withInitial(() -> new byte[0]);

    private final Mapped images;
    private final Mapped labels;
    private final int[] shape;
    private final int pixels;
    private final int classes;
    private final int size;

    private IdxSource(Mapped images, Mapped labels, int classes) {
        this.images = images;
        this.labels = labels;
        this.shape = new int[] {1, images.dims[1], images.dims[2]};
        this.pixels = images.dims[1] * images.dims[2];
        this.classes = classes;
        this.size = images.dims[0];
    }

    /**
     * Opens an images file ({@code [n, rows, cols]} unsigned bytes) and a labels file ({@code [n]}, each in
     * {@code [0, classes)}); labels are checked here, once, so that training does not fail half-way.
     *
     * @param imagesPath the IDX images, gzipped or not
     * @param labelsPath the IDX labels, gzipped or not
     * @param classes the number of classes
     * @return the source; close it to release the mappings and temporary files
     * @throws IOException when a file is absent, malformed, or the two disagree on the number of samples
     */
    public static IdxSource open(Path imagesPath, Path labelsPath, int classes) throws IOException {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        Mapped images = Mapped.open(imagesPath);
        Mapped labels = Mapped.open(labelsPath);
        if (images.dims.length != 3 || labels.dims.length != 1 || images.dims[0] != labels.dims[0]) {
            images.close();
            labels.close();
            throw new IOException("expected images [n, rows, cols] and labels [n], found images "
                    + Arrays.toString(images.dims) + " in " + imagesPath + " and labels "
                    + Arrays.toString(labels.dims) + " in " + labelsPath);
        }
        for (int i = 0; i < labels.dims[0]; i++) {
            int label = labels.get(i);
            if (label >= classes) {
                images.close();
                labels.close();
                throw new IOException(labelsPath + ": expected labels in [0, " + classes + "), found " + label
                        + " for sample " + i);
            }
        }
        return new IdxSource(images, labels, classes);
    }

    /**
     * Opens the {@code prefix} part ({@code "train"} or {@code "t10k"}) of MNIST or Fashion-MNIST in {@code dir}:
     * {@code prefix-images-idx3-ubyte} and {@code prefix-labels-idx1-ubyte}, each plain or {@code .gz}, 10 classes.
     *
     * @param dir the folder of the four files ({@link Mnist#FASHION_MNIST_DIR} for Debian's package)
     * @param prefix {@code "train"} or {@code "t10k"}
     * @return the source
     * @throws IOException when a file is missing or malformed
     */
    public static IdxSource mnist(Path dir, String prefix) throws IOException {
        return open(find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"), 10);
    }

    private static Path find(Path dir, String name) throws IOException {
        for (String candidate : new String[] {name + ".gz", name}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(dir.resolve(name + ".gz").toString(), null,
                "expected " + name + " or " + name + ".gz in " + dir);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public int featureSize() {
        return pixels;
    }

    @Override
    public int targetSize() {
        return classes;
    }

    /** Pixels {@code 0..255} become {@code v / 255f}, exactly as {@link Mnist#load} scales them. */
    @Override
    public void read(int row, float[] features, int featureOffset, float[] targets, int targetOffset) {
        images.scaled((long) row * pixels, pixels, features, featureOffset);
        Arrays.fill(targets, targetOffset, targetOffset + classes, 0f);
        targets[targetOffset + labels.get(row)] = 1f;
    }

    /**
     * Deletes the temporary files that could not be deleted at once (where the system keeps mapped files); the
     * mappings themselves go when the source is collected.
     */
    @Override
    public void close() throws IOException {
        images.close();
        labels.close();
    }

    /** One IDX file mapped read-only: its header's sizes and its data, in parts below 2 GiB. */
    private static final class Mapped {
        final int[] dims;
        final ByteBuffer[] parts;
        final Path temporary;

        private Mapped(int[] dims, ByteBuffer[] parts, Path temporary) {
            this.dims = dims;
            this.parts = parts;
            this.temporary = temporary;
        }

        int get(long index) {
            return parts[(int) (index / MAX_MAPPING)].get((int) (index % MAX_MAPPING)) & 0xff;
        }

        /**
         * Bytes {@code from .. from + count} as {@code v / 255f} into {@code out}: one bulk copy per row (absolute,
         * so safe from several threads) where the row lies in one mapped part, byte by byte across a part's end.
         */
        void scaled(long from, int count, float[] out, int at) {
            ByteBuffer part = parts[(int) (from / MAX_MAPPING)];
            int index = (int) (from % MAX_MAPPING);
            if (index + count > part.limit()) {
                for (int i = 0; i < count; i++) {
                    out[at + i] = get(from + i) / 255f;
                }
                return;
            }
            byte[] row = ROW.get();
            if (row.length < count) {
                row = new byte[count];
                ROW.set(row);
            }
            part.get(index, row, 0, count);
            for (int i = 0; i < count; i++) {
                out[at + i] = (row[i] & 0xff) / 255f;
            }
        }

        static Mapped open(Path path) throws IOException {
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString(), null, "IDX file not found");
            }
            Path temporary = null;
            Path plain = path;
            if (gzipped(path)) {
                temporary = Files.createTempFile("lamina-idx-", ".ubyte");
                temporary.toFile().deleteOnExit();
                try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16);
                        OutputStream out = Files.newOutputStream(temporary)) {
                    in.transferTo(out);
                } catch (IOException e) {
                    Files.deleteIfExists(temporary);
                    throw new IOException(path + ": cannot decompress: " + e.getMessage(), e);
                }
                plain = temporary;
            }
            try (FileChannel channel = FileChannel.open(plain, StandardOpenOption.READ)) {
                int[] dims = header(channel, path);
                long count = 1;
                for (int d : dims) {
                    count *= d;
                }
                long body = channel.size() - 4L - 4L * dims.length;
                if (body != count) {
                    throw new IOException(path + ": the header says " + Arrays.toString(dims) + " = " + count
                            + " values, the file holds " + body + (body < count ? " (truncated)" : " (extra bytes)"));
                }
                int partCount = (int) Math.max(1, (count + MAX_MAPPING - 1) / MAX_MAPPING);
                ByteBuffer[] parts = new ByteBuffer[partCount];
                for (int p = 0; p < partCount; p++) {
                    long from = p * MAX_MAPPING;
                    MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, 4L + 4L * dims.length + from,
                            Math.min(MAX_MAPPING, count - from));
                    parts[p] = m;
                }
                // a mapping outlives its file on POSIX systems: delete now, so that a killed run leaves nothing
                if (temporary != null && deleted(temporary)) {
                    temporary = null;
                }
                return new Mapped(dims, parts, temporary);
            } catch (IOException | RuntimeException e) {
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
                throw e;
            }
        }

        private static boolean deleted(Path file) {
            try {
                Files.delete(file);
                return true;
            } catch (IOException e) {
                return false; // a system that keeps mapped files: deleted on close or at exit
            }
        }

        private static boolean gzipped(Path path) throws IOException {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
                return in.read() == 0x1f && in.read() == 0x8b;
            }
        }

        /** The header checked as {@link Idx#read} checks it; the channel's position after it. */
        private static int[] header(FileChannel channel, Path path) throws IOException {
            ByteBuffer head = ByteBuffer.allocate(4);
            if (channel.read(head, 0) < 4) {
                throw new IOException(path + ": truncated header: expected a 4-byte magic number 0x000008NN");
            }
            int magic = head.getInt(0);
            int type = (magic >> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != 0x08 || rank < 1 || rank > 4) {
                throw new IOException(path + ": not an IDX file of unsigned bytes: expected magic 0x000008NN with"
                        + " rank 1..4, found 0x" + String.format("%08x", magic));
            }
            ByteBuffer sizes = ByteBuffer.allocate(4 * rank);
            if (channel.read(sizes, 4) < 4 * rank) {
                throw new IOException(path + ": truncated header: expected " + rank + " sizes of 4 bytes");
            }
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = sizes.getInt(4 * i);
                if (dims[i] < 0) {
                    throw new IOException(path + ": expected sizes >= 0, found " + dims[i] + " for dimension "
                            + (i + 1) + " of " + rank);
                }
            }
            return dims;
        }

        void close() throws IOException {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
