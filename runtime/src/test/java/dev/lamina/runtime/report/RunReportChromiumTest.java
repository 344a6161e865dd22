package dev.lamina.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 2: the report renders in a browser with no server. Runs where Debian's {@code chromium} is on the
 * PATH (CI installs it); skipped otherwise, saying so. Headless Chromium takes a screenshot of the page, which must
 * be a PNG of the window's size that is not blank: many colours (the plots' lines, the heat map, text) and a good
 * share of pixels that are not white.
 */
class RunReportChromiumTest {
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 1600;

    @TempDir
    Path dir;

    @Test
    void theReportRendersInHeadlessChromium() throws Exception {
        Path chromium = onPath("chromium");
        assumeTrue(chromium != null, "chromium is not on the PATH: the rendering check needs a browser");
        EchoClassifier model = new EchoClassifier();
        Dataset validation = EchoClassifier.samples(12);
        Trainer trainer = Trainer.of(model).epochs(3).batchSize(8);
        Path page = dir.resolve("report.html");
        trainer.listener(RunReport.of(page, trainer).validation(validation)).fit(EchoClassifier.samples(24),
                validation);

        Path screenshot = dir.resolve("screenshot.png");
        // --no-sandbox: CI runs as root; a profile of its own so that no user's profile is touched or locks it
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"), "--screenshot=" + screenshot,
                "--window-size=" + WIDTH + "," + HEIGHT, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        boolean done = browser.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            browser.destroyForcibly();
        }
        assertTrue(done, "chromium took its screenshot within 60 s");
        assertEquals(0, browser.exitValue(), () -> "chromium's exit status; its log:\n" + log());

        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertNotNull(image, "the screenshot is a PNG");
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        long notWhite = 0;
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                notWhite += rgb == 0xffffff ? 0 : 1;
            }
        }
        assertTrue(colours.size() > 50, "text, tables and plots in many colours, found " + colours.size());
        double share = (double) notWhite / ((long) WIDTH * HEIGHT);
        assertTrue(share > 0.02, "more than 2% of the pixels drawn, found " + share);
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("chromium.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The executable {@code name} in a folder of the PATH, or null. */
    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String folder : List.of(path.split(File.pathSeparator))) {
            Path candidate = Path.of(folder, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
