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
import java.util.zip.GZIPInputStream;

/**
 * Numeric CSV with the class label in the last column: each row is {@code x1, ..., xd, label}. Lines that do not
 * parse as numbers at the top are a header and are skipped; a bad line later is an error naming its number.
 */
public final class Csv {
    private Csv() {
    }

    public static Dataset readClassification(Path path, int classes) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return readClassification(path.toString().endsWith(".gz") ? new GZIPInputStream(in) : in,
                    path.toString(), classes);
        }
    }

    public static Dataset readClassification(InputStream stream, String name, int classes) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        List<float[]> rows = new ArrayList<>();
        int width = -1;
        int lineNumber = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            float[] row = new float[cells.length];
            try {
                for (int i = 0; i < cells.length; i++) {
                    row[i] = Float.parseFloat(cells[i].trim());
                }
            } catch (NumberFormatException e) {
                if (rows.isEmpty()) {
                    continue; // a header line
                }
                throw new IOException(name + ":" + lineNumber + ": expected numbers, found '" + line + "'", e);
            }
            if (width < 0) {
                width = row.length;
            } else if (row.length != width) {
                if (rows.size() == 1 && row.length != width) {
                    rows.clear(); // the first row was a numeric header of another width (iris.csv's)
                    width = row.length;
                } else {
                    throw new IOException(name + ":" + lineNumber + ": expected " + width + " columns, found "
                            + row.length);
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IOException(name + ": no data rows");
        }
        int d = width - 1;
        float[] features = new float[rows.size() * d];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, features, i * d, d);
            labels[i] = (int) rows.get(i)[d];
        }
        return Dataset.classification(features, new int[] {d}, labels, classes);
    }
}
