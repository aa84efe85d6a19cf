package org.qat4j.runtime.hardware;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.runtime.cert.CheckReport;
import org.qat4j.runtime.check.CertificateChecker;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.Json;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.ModelReader;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.RangeAnalysis;

/**
 * Checks an exported model against a {@link HardwareDescription} (HAGO, Jiang et al. 2021, §3): every
 * accumulating op's kind must be described, its input width (from the input ranges of the certificate,
 * taken only after the independent {@link CertificateChecker} accepted it), its weight width (from the
 * weights in the model) and its declared accumulator width must fit what the target supports. Widths
 * are FINN's: {@code ⌈log2(max + 1)⌉} for non-negative ranges, one more bit for the sign otherwise.
 */
public final class HardwareCheck {
    private HardwareCheck() {}

    /**
     * One accumulating op on the target.
     *
     * @param layer op name
     * @param op op word
     * @param inputBits the op's input width
     * @param inputType the allowed width it runs on, −1 if none
     * @param weightBits the weights' width, 0 without weights
     * @param weightType the allowed width they run on, −1 if none, 0 without weights
     * @param accumulatorBits declared accumulator (multipoint: point rows)
     * @param combinationBits multipoint: declared combination register, else 0
     * @param fits whether every width is allowed
     */
    public record Row(
            String layer,
            String op,
            int inputBits,
            int inputType,
            int weightBits,
            int weightType,
            int accumulatorBits,
            int combinationBits,
            boolean fits) {}

    /** Rows and problems (empty when the model fits). */
    public record Report(String hardware, List<Row> rows, List<String> problems) {
        /** Whether the certificate holds and every op fits the target. */
        public boolean fits() {
            return problems.isEmpty();
        }

        /** A fixed-width text table. */
        public String table() {
            StringBuilder b = new StringBuilder(String.format(
                    "%-16s %-17s %6s %6s %6s %6s %5s %5s  %s%n",
                    "layer", "op", "in", "→type", "w", "→type", "acc", "comb", "fits " + hardware));
            for (Row r : rows) {
                b.append(String.format(
                        "%-16s %-17s %6d %6s %6s %6s %5d %5s  %s%n",
                        r.layer(),
                        r.op(),
                        r.inputBits(),
                        type(r.inputType()),
                        r.weightType() == 0 ? "—" : Integer.toString(r.weightBits()),
                        r.weightType() == 0 ? "—" : type(r.weightType()),
                        r.accumulatorBits(),
                        r.combinationBits() == 0 ? "—" : Integer.toString(r.combinationBits()),
                        r.fits() ? "yes" : "NO"));
            }
            return b.toString();
        }

        private static String type(int t) {
            return t < 0 ? "none" : Integer.toString(t);
        }
    }

    /** Checks {@code model} and its certificate text against {@code hw}. */
    public static Report check(IntegerModel model, String certificateJson, HardwareDescription hw) {
        List<String> problems = new ArrayList<>();
        CheckReport cert = CertificateChecker.check(model, certificateJson);
        if (!cert.holds()) {
            problems.add("the certificate does not hold for this model ("
                    + cert.problems().size() + " problems, first: "
                    + cert.problems().get(0) + "): widths cannot be taken from it");
            return new Report(hw.name(), List.of(), problems);
        }
        Map<String, long[][]> inputs = new HashMap<>();
        for (Json l : Json.root(ModelReader.parse(certificateJson, "certificate"), "certificate")
                .objects("layers")) {
            inputs.put(l.string("layer"), new long[][] {longs(l, "inputMin"), longs(l, "inputMax")});
        }
        List<Row> rows = new ArrayList<>();
        for (ModelOp op : model.ops()) {
            int[] weights;
            int acc;
            int comb = 0;
            String inputLayer = op.name();
            if (op instanceof DenseOp d) {
                weights = d.weights();
                acc = d.accumulatorBits();
            } else if (op instanceof ConvOp c) {
                weights = c.weights();
                acc = c.accumulatorBits();
            } else if (op instanceof MultipointDenseOp m) {
                weights = m.codes();
                acc = m.pointAccumulatorBits();
                comb = m.accumulatorBits();
                inputLayer = m.pointsName();
            } else if (op instanceof AddOp a) {
                weights = null;
                acc = a.accumulatorBits();
            } else if (op instanceof PoolOp p && p.kind() == PoolOp.Kind.AVG) {
                weights = null;
                acc = p.accumulatorBits();
            } else if (op instanceof EmbeddingOp e) {
                weights = null;
                acc = e.accumulatorBits();
            } else {
                continue;
            }
            String where = "layer '" + op.name() + "' (" + op.opType() + ")";
            HardwareDescription.OpRule rule = hw.ops().get(op.opType());
            long[][] x = inputs.get(inputLayer);
            int inBits = width(x[0], x[1]);
            int wBits = weights == null ? 0 : weightWidth(weights);
            if (rule == null) {
                problems.add(where + ": the hardware '" + hw.name() + "' has no rule for " + op.opType()
                        + " (it describes " + hw.opKinds() + ")");
                rows.add(
                        new Row(op.name(), op.opType(), inBits, -1, wBits, weights == null ? 0 : -1, acc, comb, false));
                continue;
            }
            boolean fits = true;
            int inType = HardwareDescription.OpRule.fit(rule.inputBits(), inBits);
            if (inType < 0) {
                fits = false;
                problems.add(where + ": input width " + inBits + " bits exceeds the hardware's inputBits "
                        + Arrays.toString(rule.inputBits()));
            }
            int wType = 0;
            if (weights != null) {
                wType = HardwareDescription.OpRule.fit(rule.weightBits(), wBits);
                if (wType < 0) {
                    fits = false;
                    problems.add(where + ": weight width " + wBits + " bits exceeds the hardware's weightBits "
                            + Arrays.toString(rule.weightBits()));
                }
            }
            if (acc > rule.accumulatorBits()) {
                fits = false;
                problems.add(where + ": accumulator of " + acc + " bits exceeds the hardware's accumulatorBits "
                        + rule.accumulatorBits());
            }
            if (comb > 0 && rule.combinationBits() > 0 && comb > rule.combinationBits()) {
                fits = false;
                problems.add(where + ": combination register of " + comb
                        + " bits exceeds the hardware's combinationBits " + rule.combinationBits());
            }
            rows.add(new Row(op.name(), op.opType(), inBits, inType, wBits, wType, acc, comb, fits));
        }
        return new Report(hw.name(), rows, problems);
    }

    /** FINN width of the hull of per-position ranges. */
    static int width(long[] lo, long[] hi) {
        long min = 0;
        long max = 0;
        for (int e = 0; e < lo.length; e++) {
            min = Math.min(min, lo[e]);
            max = Math.max(max, hi[e]);
        }
        return Math.max(1, RangeAnalysis.bitsNeeded(min, max));
    }

    /** FINN width of the weights' hull. */
    static int weightWidth(int[] w) {
        long min = 0;
        long max = 0;
        for (int v : w) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return Math.max(1, RangeAnalysis.bitsNeeded(min, max));
    }

    private static long[] longs(Json l, String key) {
        var a = l.array(key);
        long[] out = new long[a.size()];
        for (int t = 0; t < out.length; t++) {
            out[t] = Json.exactLong(a.get(t));
        }
        return out;
    }
}
