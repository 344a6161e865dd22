package dev.lamina.samples;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A bad command line (an unknown command, option or model, a missing or malformed value): the message, picocli's
 * "did you mean" where it has one, then always the command's usage, so that the valid choices are in front of the
 * user (picocli's own handler leaves the usage out when it has a suggestion). Exit code 2.
 */
final class UsageErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        command.usage(err);
        return ExitCodes.USAGE;
    }
}
