package org.qat4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.examples.recipe.PtqRunner;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.ptq.apply.PtqConfig;
import org.qat4j.ptq.apply.PtqMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qat ptq METHOD}: post-training quantization of a {@code --variant float} run into a certified integer
 * model (module {@code qat-ptq}). Exit 0 only when the certificate holds and no output differs; 2 for bad
 * options (nothing is written); 1 when the run fails or does not verify.
 */
@Command(name = "ptq", mixinStandardHelpOptions = true,
        description = "Post-training quantization of a float run: quantize, export, certify, verify, evaluate, plot. "
                + "METHOD: minmax-tensor, minmax-channel, percentile, mse, lapq, gpfq, axe, adaround, brecq.")
public final class PtqCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "METHOD", description = "The PTQ method.")
    String method;

    @Option(names = "--float-run", required = true, paramLabel = "DIR",
            description = "A finished run of: qat train RECIPE --variant float.")
    Path floatRun;

    @Option(names = "--recipe", paramLabel = "R", description = "The float run's recipe (checked; default: the run's).")
    String recipe;

    @Option(names = "--weight-bits", required = true, paramLabel = "B", description = "Bits of every weight (2..16).")
    int weightBits;

    @Option(names = "--act-bits", required = true, paramLabel = "A",
            description = "Bits of every activation but the model input's, which keeps 8 (2..16).")
    int actBits;

    @Option(names = "--acc-bits", paramLabel = "P", description = "axe: accumulator bits P the result is certified at.")
    Integer accBits;

    @Option(names = "--calibration", paramLabel = "N", defaultValue = "1024",
            description = "Calibration samples: the first N training samples (default ${DEFAULT-VALUE}).")
    int calibration;

    @Option(names = "--iterations", defaultValue = "2000",
            description = "adaround/brecq: Adam iterations per block (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--percentile", defaultValue = "99.99",
            description = "percentile: the activation clip percentile (default ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default runs/ptq-METHOD-wBaA); must not hold files.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PtqConfig config;
        Path dir;
        try {
            if (calibration < 1) {
                throw new IllegalArgumentException("--calibration must be >= 1, got " + calibration);
            }
            config = PtqConfig.builder().setMethod(PtqMethod.parse(method)).setWeightBits(weightBits)
                    .setActivationBits(actBits).optAccumulatorBits(accBits).optIterations(iterations)
                    .optPercentile(percentile).optSeed(seed).build();
            PtqRunner.floatRunSettings(floatRun, recipe);
            dir = out != null ? out : Path.of("runs", "ptq-" + config.method().cliName() + "-w" + weightBits + "a" + actBits
                    + (accBits == null ? "" : "p" + accBits));
            if (!PtqRunner.isFresh(dir)) {
                throw new IllegalArgumentException("--out " + dir + " already holds files; choose a new directory"
                        + " (a PTQ run never writes into an existing run)");
            }
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        } catch (java.io.IOException e) {
            throw UserError.input(ErrorReporter.message(e), e);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw UserError.of(ExitCode.RUN_REFUSED, "--out " + dir + " is a file, not a directory", null);
        }
        try {
            RunMetrics m = new PtqRunner(System.out).run(floatRun, recipe, config, calibration, RunDirectory.create(dir));
            return Boolean.TRUE.equals(m.getCertificateValid()) && m.getBitExactMismatches() == 0 ? ExitCode.OK
                    : ExitCode.FAILED;
        } catch (IllegalStateException | IllegalArgumentException | UnsupportedOperationException e) {
            throw UserError.of(ExitCode.TRAINING_FAILED, method + ": " + e.getMessage(), e);
        }
    }
}
