package org.qat4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qat4j.datasets.words.DebianWordLists;
import org.qat4j.examples.langid.EmbeddingMethod;
import org.qat4j.examples.langid.RowwiseExperiment;
import org.qat4j.examples.recipe.PtqRunner;
import org.qat4j.examples.run.RunMetrics;
import org.qat4j.examples.run.RunRefusedException;
import org.qat4j.ptq.apply.PtqConfig;
import org.qat4j.ptq.apply.PtqMethod;
import org.qat4j.ptq.kernel.SparqSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qat ptq METHOD}: post-training quantization of a {@code --variant float} run into a certified integer
 * model (module {@code qat-ptq}). Exit codes ({@link ExitCode}): 0 only when the certificate holds and no output
 * differs, 1 when it does not verify, 2 for bad options, 3 for an unreadable float run, 4 when {@code --out} holds
 * files, 5 when the method cannot handle the network; a refused command writes nothing.
 */
@Command(
        name = "ptq",
        mixinStandardHelpOptions = true,
        subcommands = {MultipointPtqCommand.class, HagoPtqCommand.class},
        description =
                "Post-training quantization of a float run: quantize, export, certify, verify, evaluate, plot. "
                        + "METHOD: minmax-tensor, minmax-channel, percentile, mse, lapq, gpfq, axe, gptq, axe-gptq, adaround, brecq, sparq; "
                        + "embedding tables of the language-id network (--recipe langid): rows8, rows4, rows4-minmax, codebook, rows2.")
public final class PtqCommand implements Callable<Integer> {

    // not required to picocli: its check of a parent's required arguments would refuse `qat ptq multipoint ...`; call()
    // checks
    @Parameters(index = "0", arity = "0..1", paramLabel = "METHOD", description = "The PTQ method.")
    String method;

    @Option(
            names = "--float-run",
            paramLabel = "DIR",
            description = "A finished run of: qat train RECIPE --variant float (required but for --recipe langid).")
    Path floatRun;

    @Option(names = "--recipe", paramLabel = "R", description = "The float run's recipe (checked; default: the run's).")
    String recipe;

    @Option(
            names = "--weight-bits",
            paramLabel = "B",
            description = "Bits of every weight (2..16; required but for --recipe langid).")
    Integer weightBits;

    @Option(
            names = "--act-bits",
            paramLabel = "A",
            description =
                    "Bits of every activation but the model input's, which keeps 8 (2..16; required but for --recipe langid).")
    Integer actBits;

    @Option(
            names = "--train-words",
            defaultValue = "20000",
            description = "langid: training words per language (default ${DEFAULT-VALUE}).")
    int trainWords;

    @Option(
            names = "--test-words",
            defaultValue = "2000",
            description = "langid: test words per language (default ${DEFAULT-VALUE}).")
    int testWords;

    @Option(
            names = "--buckets",
            defaultValue = "4096",
            description = "langid: embedding rows (hash buckets) (default ${DEFAULT-VALUE}).")
    int buckets;

    @Option(
            names = "--dim",
            defaultValue = "32",
            description = "langid: embedding dimension (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(
            names = "--dict",
            defaultValue = "/usr/share/dict",
            description = "langid: directory of the word lists (default ${DEFAULT-VALUE}).")
    Path dict;

    @Option(
            names = "--acc-bits",
            paramLabel = "P",
            description = "axe, axe-gptq: accumulator bits P the result is certified at.")
    Integer accBits;

    @Option(
            names = "--first-last-bits",
            paramLabel = "M",
            description = "Weight bits of the first and last layers (default: --weight-bits); axe leaves them "
                    + "unconstrained, as the A2Q papers do.")
    Integer firstLastBits;

    @Option(
            names = "--calibration",
            paramLabel = "N",
            defaultValue = "1024",
            description = "Calibration samples: the first N training samples (default ${DEFAULT-VALUE}).")
    int calibration;

    @Option(
            names = "--iterations",
            defaultValue = "2000",
            description = "adaround/brecq: Adam iterations per block (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(
            names = "--percentile",
            defaultValue = "99.99",
            description = "percentile: the activation clip percentile (default ${DEFAULT-VALUE}).")
    double percentile;

    @Option(
            names = "--windows",
            paramLabel = "K",
            description = "sparq: placements of the 4-bit window in 8 bits: 5, 3 or 2" + " (default 3).")
    Integer windows;

    @Option(
            names = "--round",
            negatable = true,
            description = "sparq: round on the bit below the window (default; --no-round" + " truncates).")
    Boolean round;

    @Option(
            names = "--pairs",
            negatable = true,
            description = "sparq: vSPARQ, a zero in an activation pair lets the other keep"
                    + " 8 bits (default; --no-pairs: bSPARQ only).")
    Boolean pairs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Run directory (default runs/ptq-METHOD-wBaA); must not hold files.")
    Path out;

    @Override
    public Integer call() throws Exception {
        EmbeddingMethod embedding = method == null ? null : EmbeddingMethod.find(method);
        if (method != null && (embedding != null || EmbeddingMethod.RECIPE.equals(recipe))) {
            return embedding(embedding); // trains its own float network: no --float-run, --weight-bits, --act-bits
        }
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (Object[] a : new Object[][] {
            {"METHOD", method},
            {"--float-run=DIR", floatRun},
            {"--weight-bits=B", weightBits},
            {"--act-bits=A", actBits}
        }) {
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
            PtqMethod m;
            try {
                m = PtqMethod.parse(method);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        e.getMessage() + "; embedding methods (--recipe langid): " + EmbeddingMethod.names());
            }
            if (m != PtqMethod.SPARQ && (windows != null || round != null || pairs != null)) {
                throw new IllegalArgumentException(
                        (windows != null ? "--windows" : round != null ? "--[no-]round" : "--[no-]pairs")
                                + " is only used by sparq, not by " + m.cliName());
            }
            PtqConfig.Builder b = PtqConfig.builder()
                    .setMethod(m)
                    .setWeightBits(weightBits)
                    .setActivationBits(actBits)
                    .optAccumulatorBits(accBits)
                    .optFirstLastWeightBits(firstLastBits)
                    .optIterations(iterations)
                    .optPercentile(percentile)
                    .optSeed(seed);
            if (m == PtqMethod.SPARQ) {
                b.optSparq(new SparqSettings(
                        windows == null ? 3 : windows, round == null || round, pairs == null || pairs));
            }
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        try {
            PtqRunner.floatRunSettings(floatRun, recipe);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        Path dir = out != null
                ? out
                : Path.of(
                        "runs",
                        "ptq-" + config.method().cliName() + "-w" + weightBits + "a"
                                + actBits + (accBits == null ? "" : "p" + accBits)
                                + (config.method() == PtqMethod.SPARQ
                                        ? "-" + config.sparq().label().replace(' ', '-')
                                        : ""));
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
            throw UserError.of(
                    ExitCode.TRAINING_FAILED, "qat ptq " + config.method().cliName() + ": " + e.getMessage(), e);
        }
        return Boolean.TRUE.equals(m.getCertificateValid()) && m.getBitExactMismatches() == 0
                ? ExitCode.OK
                : ExitCode.FAILED;
    }

    /** Row-wise embedding tables of the language-id network (arXiv 1911.02079), one method per run. */
    private int embedding(EmbeddingMethod m) throws Exception {
        if (m == null) {
            throw UserError.usage("--recipe langid quantizes embedding tables: METHOD must be one of "
                    + EmbeddingMethod.names() + ", got '" + method + "'");
        }
        if (recipe != null && !EmbeddingMethod.RECIPE.equals(recipe)) {
            throw UserError.usage(
                    m.cliName() + " quantizes the embedding table of --recipe langid, not of --recipe " + recipe);
        }
        for (Object[] o : new Object[][] {
            {"--float-run", floatRun},
            {"--weight-bits", weightBits},
            {"--act-bits", actBits},
            {"--acc-bits", accBits},
            {"--first-last-bits", firstLastBits},
            {"--windows", windows},
            {"--[no-]round", round},
            {"--[no-]pairs", pairs}
        }) {
            if (o[1] != null) {
                throw UserError.usage(o[0] + " is not used by " + m.cliName()
                        + " (--recipe langid trains its float network itself; its"
                        + " classifier keeps 8-bit weights and activations)");
            }
        }
        for (Object[] o : new Object[][] {
            {"--train-words", trainWords}, {"--test-words", testWords}, {"--buckets", buckets}, {"--dim", dim}
        }) {
            if ((Integer) o[1] < 1) {
                throw UserError.usage(o[0] + " must be >= 1, got " + o[1]);
            }
        }
        java.util.List<String> missing = DebianWordLists.missingPackages(dict);
        if (!missing.isEmpty()) {
            throw UserError.of(
                    ExitCode.INPUT,
                    "--dict " + dict + " lacks word lists; install them with: apt-get install -y "
                            + String.join(" ", missing),
                    null);
        }
        Path dir = out != null ? out : Path.of("runs", "ptq-" + m.cliName() + "-langid");
        if (Files.exists(dir)) {
            throw new RunRefusedException(
                    "--out " + dir + " already exists; choose a new directory (it was not touched)");
        }
        RowwiseExperiment.Row r = new RowwiseExperiment(trainWords, testWords, buckets, dim, 48, 3, seed)
                .runMethod(dict, m, dir, System.out);
        System.out.printf(
                "%s: table %d bytes (%.2f%% of float32), test accuracy %.4f, certificate %s, checker %s, %d of %d logits"
                        + " differ%nRun: %s%n",
                r.label(),
                r.tableBytes(),
                100.0 * r.tableBytes() / (4.0 * buckets * dim),
                r.accuracy(),
                r.certificateHolds() ? "holds" : "FAILS",
                r.checkerHolds() ? "holds" : "REJECTS",
                r.mismatches(),
                r.compared(),
                dir);
        return r.certificateHolds() && r.checkerHolds() && r.mismatches() == 0 ? ExitCode.OK : ExitCode.FAILED;
    }
}
