package dev.lamina.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, item 6: the project's RFC 4180 reader agrees with Apache Commons CSV (an independent implementation,
 * a test dependency only) on text that Commons CSV writes, quoted fields with commas, quotes and line breaks in
 * them included.
 */
class CsvRecordsTest {
    /** Characters that make quoting matter, and some that do not. */
    private static final String ALPHABET = "a1.,\"\n\r \t\u00e9";

    private static List<List<String>> read(String text) throws IOException {
        CsvRecords records = new CsvRecords(new StringReader(text), "t.csv");
        List<List<String>> rows = new ArrayList<>();
        for (CsvRecords.Line line; (line = records.next()) != null; ) {
            rows.add(line.cells());
        }
        return rows;
    }

    private static String write(List<List<String>> rows, CSVFormat format) throws IOException {
        StringBuilder text = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(text, format)) {
            printer.printRecords(rows);
        }
        return text.toString();
    }

    @Test
    void readsWhatCommonsCsvWrites() throws IOException {
        Random random = new Random(22);
        CSVFormat crLf = CSVFormat.RFC4180;
        CSVFormat lf = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();
        CSVFormat allQuoted = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL).get();
        for (int table = 0; table < 300; table++) {
            List<List<String>> rows = new ArrayList<>();
            int columns = 1 + random.nextInt(4);
            for (int r = 1 + random.nextInt(5); r > 0; r--) {
                List<String> cells = new ArrayList<>();
                for (int c = 0; c < columns; c++) {
                    StringBuilder cell = new StringBuilder();
                    for (int n = random.nextInt(6); n > 0; n--) {
                        cell.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    }
                    cells.add(cell.toString());
                }
                rows.add(cells);
            }
            for (CSVFormat format : List.of(crLf, lf, allQuoted)) {
                String text = write(rows, format);
                assertEquals(rows, read(text), () -> "table as written by Commons CSV: " + text);
            }
        }
    }

    @Test
    void aClassificationFileWithQuotedCellsReadsRight() throws IOException {
        List<List<String>> rows = List.of(
                List.of("petal length, cm", "width \"w\"", "class\nlabel"),
                List.of("1.5", " 2", "1"),
                List.of("-3e-1", "4.25", "0"));
        String text = write(rows, CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL).get());
        Dataset d = Csv.readClassification(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv",
                2);
        assertEquals(2, d.size());
        assertArrayEquals(new float[] {1.5f, 2f, -0.3f, 4.25f}, d.features());
        assertEquals(1, d.label(0));
        assertEquals(0, d.label(1));
    }
}
