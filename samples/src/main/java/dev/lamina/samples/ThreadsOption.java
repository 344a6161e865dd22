package dev.lamina.samples;

import dev.lamina.runtime.Workers;
import picocli.CommandLine.Option;

/** {@code --threads T}, which every command takes: the size of the default team of training threads. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "T",
            description = "threads for training (default: one per processor, or -Dlamina.threads)")
    private Integer threads;

    /** Sets the default team's size where {@code --threads} was given. */
    void apply() {
        if (threads != null) {
            Workers.setThreads(threads); // refuses fewer than 1 with a message, which exits with code 2
        }
    }
}
