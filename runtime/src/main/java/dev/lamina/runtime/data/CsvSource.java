package dev.lamina.runtime.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A numeric CSV file of {@link Csv}'s format ({@code x1, ..., xd, label}) read a row at a time: one pass on opening
 * records where each data line starts (8 bytes a row, the only thing held in memory) and checks the first row; each
 * {@link #read} then reads its line from the file and parses it with {@link Csv}, so the cells are checked exactly
 * as {@link Csv#readClassification} checks them, and a bad cell is an {@link UncheckedIOException} naming the file
 * and the line. One record per line: a quoted cell may hold commas, not line breaks (numbers never need them).
 * Plain files only: a gzipped CSV is read whole by {@link Csv} instead.
 */
public final class CsvSource implements DataSource, AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    /** Where each data line starts, and one past the end of the last: line i spans [starts[i], starts[i + 1]). */
    private final long[] starts;
    /** The line number (from 1) of each data line, for messages. */
    private final int[] lineNumbers;
    private final int features;
    private final int classes;

    private CsvSource(Path path, FileChannel channel, long[] starts, int[] lineNumbers, int features, int classes) {
        this.path = path;
        this.channel = channel;
        this.starts = starts;
        this.lineNumbers = lineNumbers;
        this.features = features;
        this.classes = classes;
    }

    /**
     * Indexes {@code path}'s lines; the first line is a header when {@code header} says so or, for
     * {@link Csv.Header#DETECT}, when {@link Csv} reads it as one.
     *
     * @param path a plain CSV file
     * @param classes the number of classes; labels lie in {@code [0, classes)}
     * @param header whether the first line is a header
     * @return the source; close it to close the file
     * @throws IOException when the file cannot be read, holds no data row, or its first data row is malformed
     */
    public static CsvSource open(Path path, int classes, Csv.Header header) throws IOException {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        long[] starts = new long[1024];
        int[] numbers = new int[1024];
        int count = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            long position = 0;
            long lineStart = 0;
            int lineNumber = 1;
            boolean blank = true;
            for (int b; ; position++) {
                b = in.read();
                if (b == '\n' || b < 0) {
                    if (!blank) {
                        if (count + 1 >= starts.length) {
                            starts = Arrays.copyOf(starts, starts.length * 2);
                            numbers = Arrays.copyOf(numbers, numbers.length * 2);
                        }
                        starts[count] = lineStart;
                        numbers[count] = lineNumber;
                        count++;
                        starts[count] = position; // the end of this line, until the next one starts
                    }
                    if (b < 0) {
                        break;
                    }
                    lineStart = position + 1;
                    lineNumber++;
                    blank = true;
                } else if (!Character.isWhitespace(b)) {
                    blank = false;
                }
            }
        }
        if (count == 0) {
            throw new IOException(path + ": no data rows");
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            int skip = header == Csv.Header.PRESENT ? 1 : 0;
            if (header == Csv.Header.DETECT && count > 1) {
                // Csv decides: the first two lines read with detection give one row when the first is a header
                byte[] two = bytes(channel, starts[0], starts[2] - starts[0], path);
                Dataset d = Csv.readClassification(new ByteArrayInputStream(two), path.toString(), classes,
                        Csv.Header.DETECT);
                skip = d.size() == 1 ? 1 : 0;
            }
            if (count - skip < 1) {
                throw new IOException(path + ": no data rows");
            }
            long[] dataStarts = Arrays.copyOfRange(starts, skip, count + 1);
            int[] dataNumbers = Arrays.copyOfRange(numbers, skip, count);
            CsvSource source = new CsvSource(path, channel, dataStarts, dataNumbers, 0, classes);
            Dataset first = source.parse(0);
            return new CsvSource(path, channel, dataStarts, dataNumbers, first.featureSize(), classes);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Line {@code row} parsed by {@link Csv}, its errors naming the file and the line. */
    private Dataset parse(int row) throws IOException {
        byte[] line = bytes(channel, starts[row], starts[row + 1] - starts[row], path);
        Dataset d;
        try {
            d = Csv.readClassification(new ByteArrayInputStream(line), path.toString(), classes, Csv.Header.ABSENT);
        } catch (IOException e) {
            // Csv numbers the lines of what it was given (one line): give the line of the file instead
            String message = e.getMessage();
            String given = path + ":1: ";
            throw new IOException(path + ":" + lineNumbers[row] + ": "
                    + (message.startsWith(given) ? message.substring(given.length()) : message), e);
        }
        if (features > 0 && d.featureSize() != features) {
            throw new IOException(path + ":" + lineNumbers[row] + ": expected " + (features + 1)
                    + " cells (as in the first row), found " + (d.featureSize() + 1));
        }
        return d;
    }

    private static byte[] bytes(FileChannel channel, long from, long length, Path path) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, from + buffer.position()) < 0) {
                throw new IOException(path + ": the file got shorter while being read (expected " + length
                        + " bytes at " + from + ")");
            }
        }
        return buffer.array();
    }

    @Override
    public int size() {
        return lineNumbers.length;
    }

    @Override
    public int[] shape() {
        return new int[] {features};
    }

    @Override
    public int featureSize() {
        return features;
    }

    @Override
    public int targetSize() {
        return classes;
    }

    @Override
    public void read(int row, float[] features, int featureOffset, float[] targets, int targetOffset) {
        try {
            parse(row).read(0, features, featureOffset, targets, targetOffset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the file. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
