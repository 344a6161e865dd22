package dev.lamina.samples;

import dev.lamina.gpu.GpuUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The exit codes of a sample that fails while it runs: 3 for a device without a GPU (the message names the
 * {@code --device}), 2 for bad input found by the sample itself (its message says what was expected); anything
 * else is kept for {@link Main#main} to rethrow, with its stack trace, as it was before picocli.
 */
final class ExitCodes implements IExecutionExceptionHandler {
    /** Bad command line: an unknown command, option or model, or a value a sample refuses. */
    static final int USAGE = CommandLine.ExitCode.USAGE;
    /** {@code --device cuda} on a machine, or for a network, that cannot train there. */
    static final int GPU_UNAVAILABLE = 3;

    private Exception unexpected;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
        if (e instanceof GpuUnavailableException) {
            String device = commandLine.getCommand() instanceof DeviceCommand c ? c.device() : "cuda";
            commandLine.getErr().println("--device " + device + ": " + e.getMessage());
            return GPU_UNAVAILABLE;
        }
        if (e instanceof IllegalArgumentException) {
            commandLine.getErr().println(commandLine.getCommandName() + ": " + e.getMessage());
            return USAGE;
        }
        unexpected = e;
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The exception no exit code stands for, or null. */
    Exception unexpected() {
        return unexpected;
    }
}
