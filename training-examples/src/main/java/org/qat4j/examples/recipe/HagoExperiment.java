package org.qat4j.examples.recipe;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.qat4j.ptq.hago.HagoSearch;
import org.qat4j.ptq.multipoint.MultipointQuantizer;
import org.qat4j.runtime.hardware.HardwareCheck;
import org.qat4j.runtime.hardware.HardwareDescription;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;

/**
 * {@code qat ptq hago}: the HAGO-style search ({@link HagoSearch}; Jiang et al. 2021) over per-layer widths a
 * hardware description allows, on a float MLP run; the chosen model is written with its certificate, checked
 * by the independent checker and against the description from the files ({@link HardwareCheck}), and compared
 * bit for bit with the DJL FLOAT64 forward. {@code results.md} holds the search path and the result.
 */
public final class HagoExperiment {
    /** The result. */
    public record Outcome(
            HagoSearch.Outcome search,
            MultipointExperiment.Verified verified,
            HardwareCheck.Report hardware,
            double floatTestAccuracy,
            String table) {
        /** Certified, checked, bit-exact and within the hardware. */
        public boolean verifiedAndFits() {
            return verified.certificateHolds()
                    && verified.checkerHolds()
                    && verified.mismatches() == 0
                    && hardware.fits();
        }
    }

    private final PrintStream console;

    public HagoExperiment(PrintStream console) {
        this.console = console;
    }

    /** Searches, exports and verifies into the new directory {@code out}. */
    public Outcome run(
            Path floatRun,
            String recipe,
            Path hardwareFile,
            HardwareDescription hw,
            double tolerance,
            long targetBops,
            int calibrationSamples,
            Path out)
            throws IOException {
        Object[] result = new Object[1];
        try (FloatMlpRun run = FloatMlpRun.open(floatRun, recipe, calibrationSamples)) {
            RecipeSettings s = run.settings;
            console.printf(
                    "HAGO search of %s (float run %s, test accuracy %.4f) on '%s' (%s), tolerance %.4f, %d calibration samples%n",
                    s.recipe(),
                    floatRun,
                    run.floatTestAccuracy,
                    hw.name(),
                    hardwareFile,
                    tolerance,
                    run.calibration.length);
            long t0 = System.nanoTime();
            HagoSearch search = new HagoSearch(
                    run.layers,
                    run.calibration,
                    run.calibrationLabels,
                    hw,
                    MultipointQuantizer.provenance(
                            s.recipe(),
                            s.seed(),
                            0,
                            0,
                            0,
                            settings(
                                    "method",
                                    "hago",
                                    "hardware",
                                    hw.name(),
                                    "floatRun",
                                    floatRun.toString(),
                                    "tolerance",
                                    Double.toString(tolerance),
                                    "targetBops",
                                    Long.toString(targetBops))));
            HagoSearch.Outcome found = search.run(tolerance, targetBops, console::println);
            double seconds = (System.nanoTime() - t0) / 1e9;
            console.printf(
                    "search: %d configurations evaluated in %.1f s; chosen inputs %s weights %s%n",
                    found.evaluated(),
                    seconds,
                    Arrays.toString(found.chosen().inputBits()),
                    Arrays.toString(found.chosen().weightBits()));
            IntegerModel m = found.result().model();
            AtomicFiles.writeDirectory(out, dir -> {
                MultipointExperiment.Verified v = MultipointExperiment.verify(m, dir, run, s.seed());
                AtomicFiles.writeString(dir.resolve("hardware.json"), Files.readString(hardwareFile));
                HardwareCheck.Report hr = HardwareCheck.check(
                        ModelReader.read(dir.resolve("model.json")),
                        Files.readString(dir.resolve("certificate.json")),
                        HardwareDescription.read(dir.resolve("hardware.json")));
                console.print(hr.table());
                hr.problems().forEach(p -> console.println("  " + p));
                console.printf(
                        "chosen model: test accuracy %.4f (float %.4f), %s; hardware: %s%n",
                        v.accuracy(), run.floatTestAccuracy, v.summary(), hr.fits() ? "fits" : "DOES NOT FIT");
                String table = table(found, v, hr, run.floatTestAccuracy, tolerance, seconds);
                AtomicFiles.writeString(dir.resolve("results.md"), table);
                result[0] = new Outcome(found, v, hr, run.floatTestAccuracy, table);
            });
        }
        return (Outcome) result[0];
    }

    /** Provenance settings in the order given (a model file's bytes must not depend on hash order). */
    static Map<String, String> settings(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int t = 0; t < kv.length; t += 2) {
            m.put(kv[t], kv[t + 1]);
        }
        return m;
    }

    private static String table(
            HagoSearch.Outcome o,
            MultipointExperiment.Verified v,
            HardwareCheck.Report hr,
            double floatAcc,
            double tolerance,
            double seconds) {
        StringBuilder b = new StringBuilder("Search path (hardware '" + hr.hardware() + "', tolerance " + tolerance
                + " below the float "
                + "calibration accuracy " + String.format("%.4f", o.floatCalibrationAccuracy()) + "; " + o.evaluated()
                + " configurations in " + String.format("%.1f", seconds) + " s):\n\n");
        b.append(
                "| step | input bits | weight bits | calibration acc. | BOPs | within the hardware |\n|---|---|---|---|---|---|\n");
        for (HagoSearch.Step s : o.path()) {
            b.append(String.format(
                    "| %s | %s | %s | %.4f | %,d | %s |%n",
                    s.move(),
                    Arrays.toString(s.inputBits()),
                    Arrays.toString(s.weightBits()),
                    s.calibrationAccuracy(),
                    s.bops(),
                    s.feasible() ? "yes" : "no"));
        }
        b.append(String.format(
                "%nChosen: test accuracy %.4f (float %.4f), BOPs %,d, accumulators %d / %d bits (point / combination); "
                        + "%s; hardware check: %s.%n",
                v.accuracy(),
                floatAcc,
                o.chosen().bops(),
                v.pointBits(),
                v.accBits(),
                v.summary(),
                hr.fits() ? "fits" : "does not fit " + hr.problems()));
        return b.toString();
    }
}
