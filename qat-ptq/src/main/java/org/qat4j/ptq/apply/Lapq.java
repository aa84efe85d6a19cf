package org.qat4j.ptq.apply;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.fitting.PolynomialCurveFitter;
import org.apache.commons.math3.fitting.WeightedObservedPoints;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.PowellOptimizer;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.ptq.calib.ClipRule;

/**
 * LAPQ, loss-aware post-training quantization (Nahshan et al., arXiv 1911.07190, Alg. 1):
 * <ol>
 *   <li>per-tensor Lp-optimal clips of every weight tensor and every activation (sequentially, through the
 *       quantized prefix) for p ∈ {2, 2.5, 3}, and the calibration cross-entropy L(p) of each;</li>
 *   <li>a quadratic fitted through the three (p, L(p)) points (Commons Math {@link PolynomialCurveFitter}), p* its
 *       minimum on [1, 5]; the start point is the best of {min-max, L2, L2.5, L3, Lp*} by calibration loss;</li>
 *   <li>a joint derivative-free minimization of the calibration cross-entropy over all clips at once with
 *       Powell's method (Commons Math {@link PowellOptimizer}), on log α so that every clip stays positive
 *       (Powell in Commons Math takes no bounds).</li>
 * </ol>
 * The model input's quantizer keeps its range end (LAPQ quantizes weights and ReLU outputs). Unlike the paper,
 * the first and last layers are quantized too (the example MLP has only those two).
 */
public final class Lapq {

    /** The p values of the Lp initialization. */
    static final double[] P_GRID = {2.0, 2.5, 3.0};

    private final PtqTwin twin;
    private final NDManager manager;
    private final CalibrationSet data;
    private final Consumer<String> progress;
    private final List<AbstractQLayer> layers = new ArrayList<>();
    private final List<ActivationQuantizer> activations = new ArrayList<>();
    private double bestLoss = Double.POSITIVE_INFINITY;
    private double[] bestPoint;
    private int evaluations;

    Lapq(PtqTwin twin, NDManager manager, CalibrationSet data, Consumer<String> progress) {
        this.twin = twin;
        this.manager = manager;
        this.data = data;
        this.progress = progress;
        List<Block> children = twin.children();
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof AbstractQLayer l) {
                layers.add(l);
            }
            ActivationQuantizer q = PtqTwin.quantizerOf(children.get(i));
            if (q != null && i > 0) {
                activations.add(q);
            }
        }
    }

    /** Runs LAPQ; the twin ends with the best clips found. Returns the final calibration loss. */
    double run(int powellEvaluations) {
        List<double[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        starts.add(clipsAfter(ClipRule.minMax()));
        names.add("min-max");
        double[] lossOfP = new double[P_GRID.length];
        for (int i = 0; i < P_GRID.length; i++) {
            double[] clips = clipsAfter(ClipRule.lp(P_GRID[i]));
            lossOfP[i] = loss(clips);
            starts.add(clips);
            names.add("L" + P_GRID[i]);
            progress.accept(String.format("  LAPQ: p = %.1f, calibration loss %.4f", P_GRID[i], lossOfP[i]));
        }
        double pStar = quadraticMinimum(P_GRID, lossOfP);
        starts.add(clipsAfter(ClipRule.lp(pStar)));
        names.add(String.format("L%.2f (p*)", pStar));
        int best = 0;
        double bestStart = Double.POSITIVE_INFINITY;
        for (int i = 0; i < starts.size(); i++) {
            double l = loss(starts.get(i));
            if (l < bestStart) {
                bestStart = l;
                best = i;
            }
        }
        progress.accept(String.format(
                "  LAPQ: p* = %.2f; start from %s, calibration loss %.4f; joint Powell over %d clips",
                pStar, names.get(best), bestStart, starts.get(best).length));
        double[] x0 = starts.get(best).clone();
        for (int i = 0; i < x0.length; i++) {
            x0[i] = Math.log(x0[i]);
        }
        evaluations = 0;
        PowellOptimizer powell = new PowellOptimizer(1e-4, 1e-6);
        try {
            powell.optimize(
                    new MaxEval(powellEvaluations),
                    GoalType.MINIMIZE,
                    new InitialGuess(x0),
                    new ObjectiveFunction(this::logLoss));
        } catch (TooManyEvaluationsException e) {
            // the budget is the stopping rule; the best point seen is kept below
        }
        setClips(exp(bestPoint));
        progress.accept(String.format(
                "  LAPQ: joint Powell: %d loss evaluations, calibration loss %.4f -> %.4f",
                evaluations, bestStart, bestLoss));
        return bestLoss;
    }

    private double logLoss(double[] logClips) {
        evaluations++;
        return loss(exp(logClips), logClips);
    }

    private double loss(double[] clips) {
        double[] logs = new double[clips.length];
        for (int i = 0; i < clips.length; i++) {
            logs[i] = Math.log(clips[i]);
        }
        return loss(clips, logs);
    }

    private double loss(double[] clips, double[] logs) {
        setClips(clips);
        double l = CalibrationLoss.crossEntropy(twin, manager, data);
        if (l < bestLoss) {
            bestLoss = l;
            bestPoint = logs.clone();
        }
        return l;
    }

    /** The clip vector after sequential calibration of the whole twin with {@code rule} (per-tensor weights). */
    private double[] clipsAfter(ClipRule rule) {
        new ClipCalibration(rule, false, rule).apply(twin, manager, data.inputs());
        double[] clips = new double[layers.size() + activations.size()];
        for (int l = 0; l < layers.size(); l++) {
            clips[l] = twin.weightScales(layers.get(l))[0] * qMax(layers.get(l));
        }
        for (int a = 0; a < activations.size(); a++) {
            ActivationQuantizer q = activations.get(a);
            clips[layers.size() + a] = q.scaleValue() * PtqTwin.grid(q).qMax();
        }
        return clips;
    }

    private void setClips(double[] clips) {
        for (int l = 0; l < layers.size(); l++) {
            double[] c = new double[layers.get(l).getOutChannels()];
            Arrays.fill(c, clips[l]);
            twin.setWeightClips(layers.get(l), c);
        }
        for (int a = 0; a < activations.size(); a++) {
            twin.setActivationClip(activations.get(a), clips[layers.size() + a]);
        }
    }

    private static long qMax(AbstractQLayer layer) {
        return (1L << (layer.getWeightBits() - 1)) - 1;
    }

    private static double[] exp(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i]);
        }
        return out;
    }

    /** The minimum on [1, 5] of the quadratic through (p_i, L_i) (on a grid of 0.01: the fit may be concave). */
    static double quadraticMinimum(double[] p, double[] loss) {
        WeightedObservedPoints points = new WeightedObservedPoints();
        for (int i = 0; i < p.length; i++) {
            points.add(p[i], loss[i]);
        }
        double[] c = PolynomialCurveFitter.create(2).fit(points.toList());
        double best = 1;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 400; i++) {
            double x = 1 + i * 0.01;
            double v = c[0] + c[1] * x + c[2] * x * x;
            if (v < bestValue) {
                bestValue = v;
                best = x;
            }
        }
        return best;
    }
}
