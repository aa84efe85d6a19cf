package org.qat4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code qat} command line: train, export, certify and verify quantized models.
 *
 * <p>Each subcommand is its own class, registered here explicitly so that a reader sees which
 * class runs for which word.
 */
@Command(
        name = "qat",
        mixinStandardHelpOptions = true,
        version = "qat4j 0.1.0-SNAPSHOT",
        description = "Quantization-aware training (HGQ, A2Q, A2Q+) with bit-exact integer export.",
        subcommands = {CommandLine.HelpCommand.class, SmokeCommand.class, QuantizeWeightsCommand.class,
                VerifyCommand.class, RecipesCommand.class, TrainCommand.class, ExportCommand.class,
                BenchCommand.class, CertifyCommand.class, PtqCommand.class})
public final class QatCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line; tests call this to run subcommands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new QatCommand());
    }

    public static void main(String[] args) {
        int relaunched = EngineRelaunch.relaunchIfNeeded(args);
        System.exit(relaunched >= 0 ? relaunched : commandLine().execute(args));
    }
}
