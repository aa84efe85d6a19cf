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
        exitCodeListHeading = "%nExit codes (every command):%n",
        exitCodeList = {
            "0:Success (certificate holds, no bit-exact mismatch).",
            "1:The result failed: certificate rejected, mismatches, NOT VERIFIED.",
            "2:Invalid option or argument.",
            "3:Input file or directory missing, unreadable or malformed.",
            "4:Run directory refused (in use, another run, finished); left untouched.",
            "5:Training or export stopped (e.g. non-finite loss).",
            "70:Internal error (rerun with --debug and report the stack trace).",
            "130:Interrupted."
        },
        subcommands = {
            CommandLine.HelpCommand.class,
            SmokeCommand.class,
            QuantizeWeightsCommand.class,
            VerifyCommand.class,
            RecipesCommand.class,
            TrainCommand.class,
            ExportCommand.class,
            ExportOnnxCommand.class,
            BenchCommand.class,
            CertifyCommand.class,
            PtqCommand.class,
            EmbeddingPtqCommand.class,
            ExportCCommand.class,
            ExportVerilogCommand.class,
            PredictCommand.class,
            SimulateCommand.class
        })
public final class QatCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = ErrorReporter.DEBUG,
            scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, print the stack trace too.")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line; tests call this to run subcommands in-process. */
    public static CommandLine commandLine() {
        ErrorReporter errors = new ErrorReporter();
        return new CommandLine(new QatCommand())
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    public static void main(String[] args) {
        ParentWatch.startIfLaunched();
        int refused = Preflight.check(args);
        if (refused >= 0) {
            System.exit(refused);
        }
        int relaunched = EngineRelaunch.relaunchIfNeeded(args);
        System.exit(relaunched >= 0 ? relaunched : commandLine().execute(args));
    }
}
