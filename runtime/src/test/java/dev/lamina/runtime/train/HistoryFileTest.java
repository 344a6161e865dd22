package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
