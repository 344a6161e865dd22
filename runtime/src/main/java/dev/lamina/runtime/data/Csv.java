package dev.lamina.runtime.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Numeric CSV (RFC 4180: quoted cells may hold commas and doubled quotes) with the class label in the last
 * column: each row is {@code x1, ..., xd, label}. Nothing is dropped or changed silently: every row must have as
 * many cells as the first data row (a header's cells are not counted), every feature a finite decimal number, every
 * label an integer in {@code [0, classes)} ({@code 2} or {@code 2.0}, not {@code 1.7}); anything else is an
 * {@link IOException} naming the file, the line, the column and what was expected. Blank lines are skipped.
 *
 * <p>A header is {@linkplain Header declared} or, by default, detected: the first line is a header only when none
 * of its cells is a number, so that a data row with a bad cell is an error, never a lost row.
 */
public final class Csv {
    /** Whether the first line is a header of column names. */
    public enum Header {
        /** A header only when no cell of the first line is a number. */
        DETECT,
        /** The first line is a header, whatever it holds (iris.csv's {@code 150,4,setosa,...}). */
        PRESENT,
        /** Every line is data. */
        ABSENT
    }

    /** A decimal number as people write it; Java's extras (hex, {@code 1f}, {@code NaN}) are not numbers here. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Csv() {
    }

    /**
     * Reads {@code path} with the header {@linkplain Header#DETECT detected}: features as floats, the label one-hot
     * over {@code classes}; an {@link IOException} names the line and column of any bad cell.
     *
     * @param path the CSV file
     * @param classes the number of classes; labels lie in {@code [0, classes)}
     * @return the samples, with one-hot targets
     * @throws IOException when the file cannot be read or a cell is not what is expected
     */
    public static Dataset readClassification(Path path, int classes) throws IOException {
        return readClassification(path, classes, Header.DETECT);
    }

    /**
     * Reads {@code path}, gunzipped when its name ends in {@code .gz}.
     *
     * @param path the CSV file, gzipped when its name ends in {@code .gz}
     * @param classes the number of classes; labels lie in {@code [0, classes)}
     * @param header whether the first line is a header
     * @return the samples, with one-hot targets
     * @throws IOException when the file cannot be read or a cell is not what is expected
     */
    public static Dataset readClassification(Path path, int classes, Header header) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return readClassification(path.toString().endsWith(".gz") ? new GZIPInputStream(in) : in,
                    path.toString(), classes, header);
        }
    }

    /**
     * Reads UTF-8 CSV from {@code stream} with the header {@linkplain Header#DETECT detected}; {@code name} is the file
     * name errors give.
     *
     * @param stream the CSV text, UTF-8
     * @param name the name errors give
     * @param classes the number of classes; labels lie in {@code [0, classes)}
     * @return the samples, with one-hot targets
     * @throws IOException when the stream cannot be read or a cell is not what is expected
     */
    public static Dataset readClassification(InputStream stream, String name, int classes) throws IOException {
        return readClassification(stream, name, classes, Header.DETECT);
    }

    /**
     * Reads UTF-8 CSV from {@code stream}; {@code name} is the file name errors give.
     *
     * @param stream the CSV text, UTF-8
     * @param name the name errors give
     * @param classes the number of classes; labels lie in {@code [0, classes)}
     * @param header whether the first line is a header
     * @return the samples, with one-hot targets
     * @throws IOException when the stream cannot be read or a cell is not what is expected
     */
    public static Dataset readClassification(InputStream stream, String name, int classes, Header header)
            throws IOException {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        CsvRecords records = new CsvRecords(
                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)), name);
        List<float[]> features = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int width = -1;
        boolean first = true;
        for (CsvRecords.Line line; (line = records.next()) != null; ) {
            List<String> cells = line.cells();
            if (cells.size() == 1 && cells.get(0).isBlank()) {
                continue;
            }
            String where = name + ":" + line.number();
            if (first) {
                first = false;
                if (header == Header.PRESENT || (header == Header.DETECT && noneNumeric(cells))) {
                    continue; // its width is not checked: iris.csv's header is a count and class names
                }
            }
            if (width < 0) {
                width = cells.size();
                if (width < 2) {
                    throw new IOException(where + ": expected at least one feature and a label, found " + width
                            + " cell");
                }
            }
            if (cells.size() != width) {
                throw new IOException(where + ": expected " + width + " cells (as in the first row), found "
                        + cells.size());
            }
            float[] row = new float[width - 1];
            for (int i = 0; i < row.length; i++) {
                row[i] = feature(cells.get(i), where, i + 1);
            }
            features.add(row);
            labels.add(label(cells.get(width - 1), where, width, classes));
        }
        if (features.isEmpty()) {
            throw new IOException(name + ": no data rows");
        }
        int d = width - 1;
        float[] x = new float[features.size() * d];
        for (int i = 0; i < features.size(); i++) {
            System.arraycopy(features.get(i), 0, x, i * d, d);
        }
        return Dataset.classification(x, new int[] {d}, labels.stream().mapToInt(Integer::intValue).toArray(),
                classes);
    }

    private static boolean noneNumeric(List<String> cells) {
        return cells.stream().noneMatch(c -> NUMBER.matcher(c.trim()).matches());
    }

    private static float feature(String cell, String where, int column) throws IOException {
        String s = cell.trim();
        if (!NUMBER.matcher(s).matches()) {
            throw new IOException(where + ": column " + column + ": expected a finite number, found "
                    + (s.isEmpty() ? "an empty cell" : "'" + s + "'"));
        }
        float v = Float.parseFloat(s);
        if (!Float.isFinite(v)) {
            throw new IOException(where + ": column " + column + ": " + s + " is beyond the float range");
        }
        return v;
    }

    private static int label(String cell, String where, int column, int classes) throws IOException {
        String s = cell.trim();
        double v = NUMBER.matcher(s).matches() ? Double.parseDouble(s) : Double.NaN;
        if (v != Math.rint(v) || v < 0 || v >= classes) {
            throw new IOException(where + ": column " + column + " (the label): expected an integer in [0, "
                    + classes + "), found " + (s.isEmpty() ? "an empty cell" : "'" + s + "'"));
        }
        return (int) v;
    }
}
