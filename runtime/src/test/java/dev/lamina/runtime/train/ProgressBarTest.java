package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 22, item 3: frames only on a terminal, fitted to its width; plain lines elsewhere. */
class ProgressBarTest {
    /** A clock the test moves: each batch takes 50 ms, so a 300-batch epoch lasts 15 s. */
    private static final class Clock {
        long now;
    }

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8);
    private final Clock clock = new Clock();

    /** Runs two epochs of 300 batches of 32 samples through {@code bar}; returns what it printed. */
    private String twoEpochs(ProgressBar bar) {
        for (int epoch = 1; epoch <= 2; epoch++) {
            bar.epochStarted(epoch, 2, 300);
            for (int b = 1; b <= 300; b++) {
                clock.now += 50_000_000L;
                bar.batchFinished(b, 300, b * 32, 1.0 / b);
            }
            bar.epochFinished(new EpochRecord(epoch, 0.25, 0.9, 0.3, 0.88, 0.05, 15, 640));
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void offATerminalOneLinePerEpochAndNoFrames() {
        String text = twoEpochs(new ProgressBar(stream, () -> clock.now).terminal(false));
        assertFalse(text.contains("\r"), text);
        String[] lines = text.split("\n");
        assertEquals(2, lines.length, text);
        assertTrue(lines[0].startsWith("epoch 1/2  loss 0.2500  acc 0.9000  val_loss 0.3000"), lines[0]);
        assertTrue(lines[1].startsWith("epoch 2/2  loss"), lines[1]);
    }

    @Test
    void offATerminalEveryNSecondsAddsProgressLines() {
        String text = twoEpochs(new ProgressBar(stream, () -> clock.now).terminal(false).every(Duration.ofSeconds(5)));
        assertFalse(text.contains("\r"), text);
        String[] lines = text.split("\n");
        // 15 s per epoch: progress at 5 s and 10 s (the epoch's end is its summary), then the summary
        assertEquals(6, lines.length, text);
        assertTrue(lines[0].startsWith("epoch 1/2  batch 100/300  "), lines[0]);
        assertTrue(lines[1].startsWith("epoch 1/2  batch 200/300  "), lines[1]);
        assertTrue(lines[2].startsWith("epoch 1/2  loss "), lines[2]);
        assertTrue(lines[3].startsWith("epoch 2/2  batch 100/300  "), lines[3]);
    }

    @Test
    void onATerminalFramesFitTheWidthAndNeverWrap() {
        for (int width : new int[] {20, 40, 80, 132}) {
            captured.reset();
            String text = twoEpochs(new ProgressBar(stream, () -> clock.now).terminal(true).width(width));
            int frames = 0;
            for (String line : text.split("\n")) {
                for (String segment : line.split("\r")) {
                    assertTrue(segment.length() <= width - 1, width + " columns: '" + segment + "'");
                    frames += segment.startsWith("epoch ") ? 1 : 0;
                }
            }
            // a frame per 100 ms at most (batches 1, 3, ..., 299 at 50 ms each) and the last batch's: 151 an epoch
            assertEquals(302, frames, width + " columns");
            assertTrue(text.contains("\repoch 2/2 ["), text);
        }
    }

    @Test
    void aWideTerminalGetsAWideBar() {
        ProgressBar bar = new ProgressBar(stream, () -> clock.now).terminal(true).width(120);
        bar.epochStarted(1, 1, 10);
        String frame = bar.frame(5, 10, 1000, 30, 0.5);
        assertEquals(119, frame.length());
        assertTrue(frame.contains("[" + "=".repeat(10)), frame);
        assertTrue(frame.endsWith("loss 0.5000"), frame);
    }

    @Test
    void aTestRunPipedByTheBuildIsNoTerminal() {
        // surefire's forked JVM has its streams piped, as a CI job's are: the default bar must print plain lines
        assertFalse(new ProgressBar(stream).isTerminal());
    }

    @Test
    void columnsComesFromTheEnvironmentWhenItIsANumber() {
        assertEquals(80, ProgressBar.columns(null));
        assertEquals(80, ProgressBar.columns("wide"));
        assertEquals(80, ProgressBar.columns("0"));
        assertEquals(132, ProgressBar.columns(" 132 "));
    }
}
