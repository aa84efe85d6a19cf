package org.qat4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.examples.recipe.PtqRunner;
import org.qat4j.examples.run.RunRefusedException;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.ptq.apply.PtqConfig;
import org.qat4j.ptq.apply.PtqMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qat ptq METHOD}: post-training quantization of a {@code --variant float} run into a certified integer
 * model (module {@code qat-ptq}). Exit codes ({@link ExitCode}): 0 only when the certificate holds and no output
 * differs, 1 when it does not verify, 2 for bad options, 3 for an unreadable float run, 4 when {@code --out} holds
 * files, 5 when the method cannot handle the network; a refused command writes nothing.
 */
@Command(name = "ptq", mixinStandardHelpOptions = true, subcommands = {MultipointPtqCommand.class, HagoPtqCommand.class},
        description = "Post-training quantization of a float run: quantize, export, certify, verify, evaluate, plot. "
                + "METHOD: minmax-tensor, minmax-channel, percentile, mse, lapq, gpfq, axe, gptq, axe-gptq, adaround, brecq.")
public final class PtqCommand implements Callable<Integer> {

    // not required to picocli: its check of a parent's required arguments would refuse `qat ptq multipoint ...`; call() checks
    @Parameters(index = "0", arity = "0..1", paramLabel = "METHOD", description = "The PTQ method.")
    String method;

    @Option(names = "--float-run", paramLabel = "DIR",
            description = "A finished run of: qat train RECIPE --variant float.")
    Path floatRun;

    @Option(names = "--recipe", paramLabel = "R", description = "The float run's recipe (checked; default: the run's).")
    String recipe;

    @Option(names = "--weight-bits", paramLabel = "B", description = "Bits of every weight (2..16).")
    Integer weightBits;

    @Option(names = "--act-bits", paramLabel = "A",
            description = "Bits of every activation but the model input's, which keeps 8 (2..16).")
    Integer actBits;

    @Option(names = "--acc-bits", paramLabel = "P", description = "axe, axe-gptq: accumulator bits P the result is certified at.")
    Integer accBits;

    @Option(names = "--first-last-bits", paramLabel = "M",
            description = "Weight bits of the first and last layers (default: --weight-bits); axe leaves them "
                    + "unconstrained, as the A2Q papers do.")
    Integer firstLastBits;

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
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (Object[] a : new Object[][] {{"METHOD", method}, {"--float-run=DIR", floatRun}, {"--weight-bits=B", weightBits},
            {"--act-bits=A", actBits}}) {
            if (a[1] == null) {
                missing.add("'" + a[0] + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw UserError.usage("Missing required options and parameters: " + String.join(", ", missing));
        }
        if (calibration < 1) {
            throw UserError.usage("--calibration must be >= 1, got " + calibration);
        }
        PtqConfig config;
        try {
            config = PtqConfig.builder().setMethod(PtqMethod.parse(method)).setWeightBits(weightBits)
                    .setActivationBits(actBits).optAccumulatorBits(accBits).optFirstLastWeightBits(firstLastBits).optIterations(iterations)
                    .optPercentile(percentile).optSeed(seed).build();
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        try {
            PtqRunner.floatRunSettings(floatRun, recipe);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        Path dir = out != null ? out : Path.of("runs", "ptq-" + config.method().cliName() + "-w" + weightBits + "a"
                + actBits + (accBits == null ? "" : "p" + accBits));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new RunRefusedException("--out " + dir + " is a file, not a directory; choose another --out");
        }
        if (!PtqRunner.isFresh(dir)) {
            throw new RunRefusedException("--out " + dir + " already holds files; choose a new directory (a PTQ run"
                    + " never writes into an existing run)");
        }
        RunMetrics m;
        try {
            m = new PtqRunner(System.out).run(floatRun, recipe, config, calibration, dir);
        } catch (UnsupportedOperationException e) {
            throw UserError.of(ExitCode.TRAINING_FAILED, "qat ptq " + config.method().cliName() + ": " + e.getMessage(), e);
        }
        return Boolean.TRUE.equals(m.getCertificateValid()) && m.getBitExactMismatches() == 0 ? ExitCode.OK
                : ExitCode.FAILED;
    }
}
