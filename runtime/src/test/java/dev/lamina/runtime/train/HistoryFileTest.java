package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 22, item 3: the history is on disk after each epoch, not only when fit returns. */
class HistoryFileTest {
    @TempDir
    Path dir;

    @Test
    void eachEpochIsInTheCsvWhenItEnds() throws IOException {
        Path file = dir.resolve("history.csv");
        Files.writeString(file, "left from an earlier run\n");
        TrainingContext context = new TrainingContext(null, new History(), 3);
        HistoryFile listener = HistoryFile.csv(file);
        listener.trainingStarted(context);
        assertEquals(List.of(new History().toCsv().strip()), Files.readAllLines(file), "a fresh file, header only");
        for (int epoch = 1; epoch <= 3; epoch++) {
            EpochRecord r = new EpochRecord(epoch, 1.0 / epoch, 0.5, Double.NaN, Double.NaN, 0.1, 2.5, 400);
            context.history().add(r);
            listener.epochFinished(r, context);
            // after each epoch the file is exactly what History would write for the epochs so far
            assertEquals(context.history().toCsv(), Files.readString(file), "after epoch " + epoch);
        }
        assertEquals(4, Files.readAllLines(file).size());
    }

    @Test
    void jsonLinesHoldOneObjectPerEpoch() throws IOException {
        Path file = dir.resolve("history.jsonl");
        TrainingContext context = new TrainingContext(null, new History(), 2);
        HistoryFile listener = HistoryFile.jsonLines(file);
        listener.trainingStarted(context);
        assertEquals("", Files.readString(file));
        for (int epoch = 1; epoch <= 2; epoch++) {
            EpochRecord r = new EpochRecord(epoch, 0.5, Double.NaN, 0.25, 0.75, 0.01, 1, 100);
            context.history().add(r);
            listener.epochFinished(r, context);
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertEquals("{\"epoch\": 2, \"train_loss\": 0.500000, \"train_accuracy\": null, \"validation_loss\": 0.250000,"
                + " \"validation_accuracy\": 0.750000, \"learning_rate\": 0.0100000, \"seconds\": 1.000,"
                + " \"samples_per_second\": 100.0}", lines.get(1));
    }

    @Test
    void aFileThatCannotBeWrittenStopsTrainingLoudly() {
        Path file = dir.resolve("no such folder").resolve("history.csv");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> HistoryFile.csv(file).trainingStarted(new TrainingContext(null, new History(), 1)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    /** Issue 22, item 6: a metric's name is the user's; quotes, commas, line breaks and backslashes survive. */
    @Test
    void metricNamesThatNeedEscapingReadBackWithTheLibraries() throws IOException {
        String odd = "f1, \"macro\"\nper class \\ caf\u00e9\t";
        History history = new History();
        history.declareMetrics(List.of("validation_" + odd, "train_top,2"));
        TrainingContext context = new TrainingContext(null, history, 2);
        HistoryFile csv = HistoryFile.csv(dir.resolve("h.csv"));
        HistoryFile jsonLines = HistoryFile.jsonLines(dir.resolve("h.jsonl"));
        csv.trainingStarted(context);
        jsonLines.trainingStarted(context);
        for (int epoch = 1; epoch <= 2; epoch++) {
            EpochRecord r = new EpochRecord(epoch, 0.5, 0.25, 0.125, 0.75, 0.01, 1, 100,
                    Map.of("validation_" + odd, 0.5 * epoch, "train_top,2", Double.POSITIVE_INFINITY));
            history.add(r);
            csv.epochFinished(r, context);
            jsonLines.epochFinished(r, context);
        }
        CSVFormat rfc4180 = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser parser = CSVParser.parse(Files.readString(dir.resolve("h.csv")), rfc4180)) {
            List<String> header = parser.getHeaderNames();
            assertEquals(List.of("validation_" + odd, "train_top,2"), header.subList(8, header.size()));
            List<CSVRecord> rows = parser.getRecords();
            assertEquals(2, rows.size());
            assertEquals(1.0, Double.parseDouble(rows.get(1).get("validation_" + odd)));
        }
        List<String> lines = Files.readAllLines(dir.resolve("h.jsonl"));
        assertEquals(2, lines.size(), "a name's line break is escaped, not written");
        Map<String, String> last = flatObject(lines.get(1));
        assertEquals("1.00000", last.get("validation_" + odd));
        assertEquals("null", last.get("train_top,2"), "JSON has no infinity");
        // History's own JSON escapes them the same way
        String json = history.toJson();
        assertTrue(json.contains(History.jsonName("validation_" + odd) + ": 1.00000"), json);
        try (JsonParser p = new JsonFactory().createParser(json)) {
            while (p.nextToken() != null) {
                // a parse error would throw: the whole text is valid JSON
            }
        }
    }

    /** The members of a JSON object whose values are scalars, as text, read with Jackson. */
    private static Map<String, String> flatObject(String json) throws IOException {
        Map<String, String> members = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            for (String name; (name = p.nextFieldName()) != null; ) {
                p.nextToken();
                members.put(name, p.getText());
            }
            assertEquals(null, p.nextToken(), "one object per line");
        }
        return members;
    }
}
