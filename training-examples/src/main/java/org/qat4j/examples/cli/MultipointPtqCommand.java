package org.qat4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.examples.recipe.MultipointExperiment;
import org.qat4j.examples.recipe.PtqRunner;
import org.qat4j.examples.run.RunRefusedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat ptq multipoint}: multipoint quantization (arXiv 2002.09049) of a float MLP run into certified
 * {@code multipoint_dense} integer models, next to plain W-bit and plain 8-bit. Exit codes ({@link ExitCode}):
 * 0 when every model is certified, accepted by the checker and bit-exact; 1 when one is not; 2 for bad options
 * or a run that is not a float run; 4 when {@code --out} exists (nothing is touched); 5 when the network is not
 * an MLP of Linear and ReLU blocks.
 */
@Command(
        name = "multipoint",
        mixinStandardHelpOptions = true,
        description =
                "Multipoint PTQ (arXiv 2002.09049): channels with the largest calibration output error get extra low-bit "
                        + "points until the budget; exported, certified, checked and compared bit for bit with the DJL FLOAT64 forward.")
public final class MultipointPtqCommand implements Callable<Integer> {

    @Option(
            names = "--float-run",
            required = true,
            paramLabel = "DIR",
            description = "A finished run of: qat train RECIPE --variant float.")
    Path floatRun;

    @Option(names = "--recipe", paramLabel = "R", description = "The float run's recipe (checked; default: the run's).")
    String recipe;

    @Option(names = "--weight-bits", required = true, paramLabel = "B", description = "Bits of every code (2..16).")
    int weightBits;

    @Option(
            names = "--act-bits",
            required = true,
            paramLabel = "A",
            description = "Bits of every hidden activation (2..16); the input keeps 8.")
    int actBits;

    @Option(
            names = "--budget",
            defaultValue = "0.5",
            paramLabel = "E",
            description = "Extra points per layer as a fraction of its output channels (default ${DEFAULT-VALUE}).")
    double budget;

    @Option(
            names = "--calibration",
            defaultValue = "1024",
            paramLabel = "N",
            description = "Calibration samples: the first N training samples (default ${DEFAULT-VALUE}).")
    int calibration;

    @Option(names = "--out", paramLabel = "DIR", description = "New run directory (default runs/ptq-multipoint-wBaA).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (weightBits < 2 || weightBits > 16) {
            throw UserError.usage("--weight-bits must lie in [2, 16], got " + weightBits);
        }
        if (actBits < 2 || actBits > 16) {
            throw UserError.usage("--act-bits must lie in [2, 16], got " + actBits);
        }
        if (!(budget >= 0) || budget > 16) {
            throw UserError.usage("--budget must lie in [0, 16], got " + budget);
        }
        if (calibration < 1) {
            throw UserError.usage("--calibration must be >= 1, got " + calibration);
        }
        try {
            PtqRunner.floatRunSettings(floatRun, recipe);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        Path dir = out != null ? out : Path.of("runs", "ptq-multipoint-w" + weightBits + "a" + actBits);
        if (Files.exists(dir)) {
            throw new RunRefusedException(
                    "--out " + dir + " already exists; choose a new directory (it was not touched)");
        }
        MultipointExperiment.Outcome o;
        try {
            o = new MultipointExperiment(System.out)
                    .run(floatRun, recipe, weightBits, actBits, budget, calibration, dir);
        } catch (UnsupportedOperationException e) {
            throw UserError.of(ExitCode.TRAINING_FAILED, "qat ptq multipoint: " + e.getMessage(), e);
        }
        System.out.print(o.table());
        System.out.println("written: " + dir.resolve("results.md"));
        return o.allVerified() ? ExitCode.OK : ExitCode.FAILED;
    }
}
