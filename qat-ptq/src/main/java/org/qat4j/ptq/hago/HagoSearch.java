package org.qat4j.ptq.hago;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.qat4j.ptq.multipoint.MultipointApproximation;
import org.qat4j.ptq.multipoint.MultipointQuantizer;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.hardware.HardwareDescription;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.Provenance;

/**
 * HAGO-style backend-aware search over per-layer bit widths (Jiang et al. 2021, "Automated Backend-Aware
 * Post-Training Quantization", §4: a greedy search that lowers one layer's width at a time while the
 * calibration accuracy stays within a threshold, over the data types the backend description allows).
 * The model is an MLP of {@code multipoint_dense} ops with one point per channel (plain per-channel
 * b-bit weights with an integer requantization multiplier, {@link MultipointQuantizer}); the choices
 * per layer are its input width and its weight width from the description's {@code multipoint_dense}
 * rule. A configuration is feasible when every layer's minimal proven point accumulator (and
 * combination register) is within the rule.
 *
 * <p>Search: start at the widest allowed widths; while infeasible, take the single step down (one width of
 * a violating layer) with the best calibration accuracy; then repeatedly evaluate every feasible single
 * step down and take the one with the best calibration accuracy (ties: the larger BOPs saving) as long as
 * it stays ≥ the float model's calibration accuracy − tolerance (or, with a BOPs target, until the BOPs reach it).
 * BOPs: Σ over layers of non-zero codes × input bits × weight bits (HGQ's EBOPs, arXiv 2405.00645 §4, with one width
 * per layer).
 */
public final class HagoSearch {
    /** The op word whose rule the search follows. */
    public static final String OP = "multipoint_dense";

    /** One evaluated configuration. */
    public record Step(
            int[] inputBits, int[] weightBits, double calibrationAccuracy, long bops, boolean feasible, String move) {}

    /** The chosen model and the path to it. */
    public record Outcome(
            MultipointQuantizer.Result result,
            Step chosen,
            double floatCalibrationAccuracy,
            List<Step> path,
            int evaluated) {}

    private final List<MultipointQuantizer.Layer> layers;
    private final double[][][] acts;
    private final float[] calInputs;
    private final int[] labels;
    private final HardwareDescription.OpRule rule;
    private final Provenance provenance;
    private final Map<String, List<List<MultipointApproximation.Point>>> pointCache = new HashMap<>();
    private int evaluated;

    /**
     * @param calibration float inputs {@code [N][K₀]}
     * @param labels their classes
     * @throws IllegalArgumentException when the description has no {@value #OP} rule or no width in [2, 16]
     */
    public HagoSearch(
            List<MultipointQuantizer.Layer> layers,
            double[][] calibration,
            int[] labels,
            HardwareDescription hw,
            Provenance provenance) {
        this.rule = hw.ops().get(OP);
        if (rule == null) {
            throw new IllegalArgumentException("the hardware '" + hw.name() + "' has no rule for " + OP
                    + " (it describes " + hw.opKinds() + "): add one to search its widths");
        }
        if (usable(rule.inputBits()).length == 0 || usable(rule.weightBits()).length == 0) {
            throw new IllegalArgumentException(
                    "the hardware '" + hw.name() + "' allows no " + OP + " input or weight width in [2, 16]");
        }
        this.layers = layers;
        this.acts = MultipointQuantizer.activations(layers, calibration);
        this.labels = labels.clone();
        this.provenance = provenance;
        int k = calibration[0].length;
        calInputs = new float[calibration.length * k];
        for (int s = 0; s < calibration.length; s++) {
            for (int j = 0; j < k; j++) {
                calInputs[s * k + j] = (float) calibration[s][j];
            }
        }
    }

    /** Widths the quantizer can take: within [2, 16], ascending. */
    static int[] usable(int[] allowed) {
        return Arrays.stream(allowed).filter(w -> w >= 2 && w <= 16).sorted().toArray();
    }

    /** Runs the search; {@code progress} gets one line per step taken. */
    public Outcome run(double tolerance, Consumer<String> progress) {
        return run(tolerance, 0, progress);
    }

    /**
     * Runs the search, stopping as soon as a feasible configuration has at most {@code targetBops} BOPs (0: no target;
     * for comparisons at equal cost).
     */
    public Outcome run(double tolerance, long targetBops, Consumer<String> progress) {
        int n = layers.size();
        int[] ins = usable(rule.inputBits());
        int[] ws = usable(rule.weightBits());
        int[] in = new int[n];
        int[] w = new int[n];
        Arrays.fill(in, ins[ins.length - 1]);
        Arrays.fill(w, ws[ws.length - 1]);
        double floatAcc = floatAccuracy();
        List<Step> path = new ArrayList<>();
        Eval cur = eval(in, w, "widest allowed");
        path.add(cur.step);
        progress.accept(describe(cur.step, floatAcc));
        while (!cur.step.feasible()) {
            Eval best = null;
            for (Eval c : neighbours(cur, ins, ws, violating(cur.result.model()))) {
                if (best == null || c.step.calibrationAccuracy() > best.step.calibrationAccuracy()) {
                    best = c;
                }
            }
            if (best == null) {
                throw new IllegalArgumentException(
                        "no widths of the hardware description keep " + violating(cur.result.model())
                                + " within its accumulator limit of " + rule.accumulatorBits() + " bits");
            }
            cur = best;
            path.add(cur.step);
            progress.accept(describe(cur.step, floatAcc));
        }
        double floor = floatAcc - tolerance;
        while (targetBops <= 0 || cur.step.bops() > targetBops) {
            Eval best = null;
            for (Eval c : neighbours(cur, ins, ws, null)) {
                if (!c.step.feasible() || c.step.calibrationAccuracy() < floor) {
                    continue;
                }
                if (best == null
                        || c.step.calibrationAccuracy() > best.step.calibrationAccuracy()
                        || c.step.calibrationAccuracy() == best.step.calibrationAccuracy()
                                && c.step.bops() < best.step.bops()) {
                    best = c;
                }
            }
            if (best == null) {
                break;
            }
            cur = best;
            path.add(cur.step);
            progress.accept(describe(cur.step, floatAcc));
        }
        return new Outcome(cur.result, cur.step, floatAcc, path, evaluated);
    }

    private record Eval(Step step, MultipointQuantizer.Result result) {}

    private List<Eval> neighbours(Eval cur, int[] ins, int[] ws, List<Integer> onlyLayers) {
        List<Eval> out = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            if (onlyLayers != null && !onlyLayers.contains(l)) {
                continue;
            }
            int lowerIn = lower(ins, cur.step.inputBits()[l]);
            if (lowerIn > 0) {
                int[] in = cur.step.inputBits().clone();
                in[l] = lowerIn;
                out.add(eval(
                        in,
                        cur.step.weightBits(),
                        "layer " + (l + 1) + " input " + cur.step.inputBits()[l] + " → " + lowerIn));
            }
            int lowerW = lower(ws, cur.step.weightBits()[l]);
            if (lowerW > 0) {
                int[] w = cur.step.weightBits().clone();
                w[l] = lowerW;
                out.add(eval(
                        cur.step.inputBits(),
                        w,
                        "layer " + (l + 1) + " weights " + cur.step.weightBits()[l] + " → " + lowerW));
            }
        }
        return out;
    }

    private static int lower(int[] allowed, int w) {
        int best = -1;
        for (int a : allowed) {
            if (a < w) {
                best = a;
            }
        }
        return best;
    }

    /** Layers (0-based) whose point accumulator or combination exceeds the rule. */
    private List<Integer> violating(IntegerModel m) {
        List<Integer> v = new ArrayList<>();
        int l = 0;
        for (ModelOp op : m.ops()) {
            if (op instanceof MultipointDenseOp d) {
                boolean comb = rule.combinationBits() > 0 && d.accumulatorBits() > rule.combinationBits();
                if (d.pointAccumulatorBits() > rule.accumulatorBits() || comb) {
                    v.add(l);
                }
                l++;
            }
        }
        return v;
    }

    private Eval eval(int[] in, int[] w, String move) {
        evaluated++;
        List<List<List<MultipointApproximation.Point>>> pts = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            int layer = l;
            pts.add(pointCache.computeIfAbsent(
                    l + ":" + w[l], key -> MultipointQuantizer.points(layers.get(layer), acts[layer], w[layer], 0)));
        }
        MultipointQuantizer.Result r = MultipointQuantizer.assemble(layers, acts, in, w, pts, provenance);
        double acc = accuracy(IntegerRuntime.compile(r.model()).runFloat(calInputs, labels.length));
        return new Eval(
                new Step(
                        in.clone(),
                        w.clone(),
                        acc,
                        bops(r.model(), in, w),
                        violating(r.model()).isEmpty(),
                        move),
                r);
    }

    /** Σ over layers of (non-zero codes) × input bits × weight bits. */
    public static long bops(IntegerModel m, int[] in, int[] w) {
        long total = 0;
        int l = 0;
        for (ModelOp op : m.ops()) {
            if (op instanceof MultipointDenseOp d) {
                long nz = 0;
                for (int c : d.codes()) {
                    nz += c != 0 ? 1 : 0;
                }
                total += nz * in[l] * w[l];
                l++;
            }
        }
        return total;
    }

    private double floatAccuracy() {
        double[][] logits = acts[acts.length - 1];
        int ok = 0;
        for (int s = 0; s < labels.length; s++) {
            ok += argmax(logits[s]) == labels[s] ? 1 : 0;
        }
        return (double) ok / labels.length;
    }

    private double accuracy(float[] y) {
        int classes = y.length / labels.length;
        int ok = 0;
        for (int s = 0; s < labels.length; s++) {
            double[] row = new double[classes];
            for (int c = 0; c < classes; c++) {
                row[c] = y[s * classes + c];
            }
            ok += argmax(row) == labels[s] ? 1 : 0;
        }
        return (double) ok / labels.length;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int c = 1; c < v.length; c++) {
            if (v[c] > v[best]) {
                best = c;
            }
        }
        return best;
    }

    private static String describe(Step s, double floatAcc) {
        return String.format(
                "  %-28s inputs %s weights %s: calibration accuracy %.4f (float %.4f), BOPs %,d%s",
                s.move(),
                Arrays.toString(s.inputBits()),
                Arrays.toString(s.weightBits()),
                s.calibrationAccuracy(),
                floatAcc,
                s.bops(),
                s.feasible() ? "" : ", accumulator beyond the hardware");
    }
}
