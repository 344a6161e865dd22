package dev.lamina.samples;

import dev.lamina.runtime.data.Mnist;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The samples' command line (picocli): with no command, the default sample, LeNet-5 on Fashion-MNIST if installed,
 * else a small CNN on the UCI digits inside the jar; a command per sample otherwise ({@code train}, {@code bench},
 * {@code features}, {@code transfer}, {@code fgsm}, {@code saliency}, {@code maximise}, {@code style},
 * {@code sharpness}, {@code hessian-free}), each with
 * {@code --help}. The models are those of {@link SampleModel}.
 * <p>
 * Exit codes: 0 done, 2 a bad command line (an unknown command, option or model: the message lists the valid
 * ones), 3 {@code --device cuda} where no GPU can train the network (the message says why).
 */
@Command(name = "lamina-samples", mixinStandardHelpOptions = true, versionProvider = SampleVersion.class,
        description = {"Lamina's samples. With no command: LeNet-5 on Fashion-MNIST if installed, else a small CNN"
                + " on the UCI digits inside the jar.",
                "The options before a command are the default sample's; each command has its own (COMMAND --help)."},
        subcommands = {TrainCommand.class, BenchCommand.class, FeaturesCommand.class, TransferCommand.class,
                FgsmCommand.class, SaliencyCommand.class, MaximiseCommand.class, StyleCommand.class,
                SharpnessCommand.class, HessianFreeCommand.class},
        footerHeading = "%nModels (train --model MODEL):%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "2:bad command line (unknown command, option or model)",
                "3:--device cuda where no GPU can train the network"})
public final class Main implements Callable<Integer>, DeviceCommand {
    /** Epochs of the default sample on Fashion-MNIST, and on the digits (many more: each epoch is small). */
    private static final int FASHION_EPOCHS = 2;
    private static final int DIGITS_EPOCHS = 30;

    @Mixin
    private ThreadsOption threads;

    @Mixin
    private DataDeviceOptions dataDevice;

    Main() {
    }

    /** Runs the command line; exits with the code above when it is not 0. */
    public static void main(String[] args) throws Exception {
        ExitCodes exitCodes = new ExitCodes();
        int code = commandLine(exitCodes).execute(args);
        if (exitCodes.unexpected() != null) {
            throw exitCodes.unexpected(); // a failure of the sample itself: its stack trace, exit code 1
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the command line with {@code out} and {@code err} for picocli's own output (help, usage errors);
     * returns the exit code.
     *
     * @throws Exception a failure of the sample itself, as {@link #main} rethrows it
     */
    static int execute(PrintWriter out, PrintWriter err, String... args) throws Exception {
        ExitCodes exitCodes = new ExitCodes();
        int code = commandLine(exitCodes).setOut(out).setErr(err).execute(args);
        if (exitCodes.unexpected() != null) {
            throw exitCodes.unexpected();
        }
        return code;
    }

    /** The command line with its subcommands, the registry's model list in the help footers. */
    static CommandLine commandLine(ExitCodes exitCodes) {
        CommandLine cli = new CommandLine(new Main()).setExecutionExceptionHandler(exitCodes)
                .setParameterExceptionHandler(new UsageErrors());
        String all = ModelTable.of(List.of(SampleModel.values()));
        cli.getCommandSpec().usageMessage().footer(all);
        cli.getSubcommands().get("train").getCommandSpec().usageMessage().footer(all);
        cli.getSubcommands().get("bench").getCommandSpec().usageMessage()
                .footer(ModelTable.of(SampleModel.benchmarkedModels()));
        return cli;
    }

    @Override
    public Integer call() throws Exception {
        threads.apply();
        if (Mnist.isPresent(dataDevice.data)) {
            SampleTraining.train(SampleModel.LENET, FASHION_EPOCHS, dataDevice.data, dataDevice.device);
        } else {
            System.out.println("Fashion-MNIST not found in " + dataDevice.data + " (install Debian's"
                    + " dataset-fashion-mnist or pass --data DIR): training the digits sample instead.");
            SampleTraining.train(SampleModel.DIGITS, DIGITS_EPOCHS, dataDevice.data, dataDevice.device);
        }
        return 0;
    }

    @Override
    public String device() {
        return dataDevice.device;
    }
}
