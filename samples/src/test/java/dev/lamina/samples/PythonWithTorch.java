package dev.lamina.samples;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds a Python that imports torch, for the tests that run PyTorch's side where it is installed. */
final class PythonWithTorch {
    private PythonWithTorch() {
    }

    /** The first of python3 and /usr/bin/python3 that imports torch, or null. */
    static String find() throws InterruptedException {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException absent) {
                // not installed: try the next
            }
        }
        return null;
    }
}
