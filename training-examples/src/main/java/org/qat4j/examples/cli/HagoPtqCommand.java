package org.qat4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.examples.recipe.HagoExperiment;
import org.qat4j.examples.recipe.PtqRunner;
import org.qat4j.examples.run.RunRefusedException;
import org.qat4j.runtime.hardware.HardwareDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat ptq hago}: HAGO-style search (Jiang et al. 2021) of per-layer input and weight widths within a
 * hardware description (docs/hardware.md). Exit codes ({@link ExitCode}): 0 when the chosen model is certified,
 * checked, bit-exact and fits the hardware; 1 when not; 2 for bad options, a run that is not a float run, or a
 * description no width of which fits; 3 for a missing or malformed {@code --hardware} file; 4 when {@code --out}
 * exists (nothing is touched); 5 when the network is not an MLP of Linear and ReLU blocks.
 */
@Command(
        name = "hago",
        mixinStandardHelpOptions = true,
        description =
                "HAGO-style backend-aware PTQ: greedy per-layer bit widths within a hardware description, calibration accuracy "
                        + "within --tolerance of the float model; exported, certified, checked against the hardware, compared bit for bit.")
public final class HagoPtqCommand implements Callable<Integer> {

    @Option(
            names = "--hardware",
            required = true,
            paramLabel = "FILE",
            description = "Hardware description (qat4j-hardware JSON).")
    Path hardware;

    @Option(
            names = "--float-run",
            required = true,
            paramLabel = "DIR",
            description = "A finished run of: qat train RECIPE --variant float.")
    Path floatRun;

    @Option(names = "--recipe", paramLabel = "R", description = "The float run's recipe (checked; default: the run's).")
    String recipe;

    @Option(
            names = "--tolerance",
            defaultValue = "0.01",
            paramLabel = "T",
            description = "Largest calibration accuracy loss against the float model (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(
            names = "--target-bops",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Stop at the first configuration with at most N BOPs (0: no target; for comparisons at equal cost).")
    long targetBops;

    @Option(
            names = "--calibration",
            defaultValue = "1024",
            paramLabel = "N",
            description = "Calibration samples: the first N training samples (default ${DEFAULT-VALUE}).")
    int calibration;

    @Option(names = "--out", paramLabel = "DIR", description = "New run directory (default runs/ptq-hago).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!(tolerance >= 0) || tolerance > 1) {
            throw UserError.usage("--tolerance must lie in [0, 1], got " + tolerance);
        }
        if (targetBops < 0) {
            throw UserError.usage("--target-bops must be >= 0, got " + targetBops);
        }
        if (calibration < 1) {
            throw UserError.usage("--calibration must be >= 1, got " + calibration);
        }
        HardwareDescription hw = HardwareVerification.read(hardware);
        try {
            PtqRunner.floatRunSettings(floatRun, recipe);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        Path dir = out != null ? out : Path.of("runs", "ptq-hago");
        if (Files.exists(dir)) {
            throw new RunRefusedException(
                    "--out " + dir + " already exists; choose a new directory (it was not touched)");
        }
        HagoExperiment.Outcome o;
        try {
            o = new HagoExperiment(System.out)
                    .run(floatRun, recipe, hardware, hw, tolerance, targetBops, calibration, dir);
        } catch (UnsupportedOperationException e) {
            throw UserError.of(ExitCode.TRAINING_FAILED, "qat ptq hago: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("qat ptq hago: --hardware " + hardware + ": " + e.getMessage());
        }
        System.out.print(o.table());
        System.out.println("written: " + dir.resolve("results.md"));
        return o.verifiedAndFits() ? ExitCode.OK : ExitCode.FAILED;
    }
}
