package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code multipoint_dense}: a dense layer whose output channel {@code o} is a sum of {@code n_o}
 * low-bit points, multipoint quantization (Liu et al., arXiv 2002.09049, §3: {@code w_o ≈ Σᵢ aᵢ·qᵢ}).
 * Point {@code i} of channel {@code o} (global row {@code r = start_o + i}) has integer codes
 * {@code q_r ∈ [−(2^(b−1)−1), 2^(b−1)−1]^K} and an integer multiplier {@code m_r} (its scale on the
 * layer's common grid, {@code aᵢ = m_r · 2^-F}). Per sample:
 * <pre>
 *   a_r = Σ_j q_r[j] · x_j                      signed pointAccumulatorBits register, j ascending
 *   y_o = bias_o + Σ_{i &lt; n_o} m_{start_o+i} · a_{start_o+i}   signed accumulatorBits register, bias first, then i ascending
 * </pre>
 * Everything is integer arithmetic, so {@code y_o} on grid {@code 2^-(f_x + F)} is exact; a following
 * {@code requantize_fixed} brings it to the next activation format.
 *
 * @param name output tensor {@code [outFeatures]}
 * @param input integer input {@code [inFeatures]}
 * @param inFeatures K
 * @param outFeatures O
 * @param weightBits b, in [2, 16]: the width of every code
 * @param points {@code n_o ≥ 1} per output channel
 * @param codes row-major {@code [R][K]}, {@code R = Σ n_o}, channel 0's points first
 * @param multipliers {@code m_r} per row
 * @param bias per output channel, on the output grid (zeros when absent)
 * @param pointAccumulatorBits declared signed width of every point accumulator {@code a_r}, in [2, 64]
 * @param accumulatorBits declared signed width of the combination {@code y_o}, in [2, 64]
 */
public record MultipointDenseOp(
        String name,
        String input,
        int inFeatures,
        int outFeatures,
        int weightBits,
        int[] points,
        int[] codes,
        long[] multipliers,
        long[] bias,
        int pointAccumulatorBits,
        int accumulatorBits)
        implements ModelOp {

    /** Validates sizes and code ranges (copies arrays). */
    public MultipointDenseOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new ModelFormatException(
                    name + ": inFeatures = " + inFeatures + ", outFeatures = " + outFeatures + " must be positive");
        }
        if (weightBits < 2 || weightBits > 16) {
            throw new ModelFormatException(name + ".weightBits = " + weightBits + ": must lie in [2, 16]");
        }
        points = points.clone();
        if (points.length != outFeatures) {
            throw new ModelFormatException(
                    name + ".points: length " + points.length + " != outFeatures = " + outFeatures);
        }
        long rows = 0;
        for (int o = 0; o < outFeatures; o++) {
            if (points[o] < 1) {
                throw new ModelFormatException(
                        name + ".points[" + o + "] = " + points[o] + ": every channel needs at least one point");
            }
            rows += points[o];
        }
        if (rows * inFeatures != codes.length) {
            throw new ModelFormatException(name + ".codes: length " + codes.length + " != Σ points × inFeatures = "
                    + rows + " × " + inFeatures);
        }
        if (multipliers.length != rows) {
            throw new ModelFormatException(
                    name + ".multipliers: length " + multipliers.length + " != Σ points = " + rows);
        }
        codes = codes.clone();
        int top = (1 << (weightBits - 1)) - 1;
        for (int e = 0; e < codes.length; e++) {
            if (codes[e] < -top || codes[e] > top) {
                throw new ModelFormatException(name + ".codes[" + e / inFeatures + "][" + e % inFeatures + "] = "
                        + codes[e] + ": must lie in [" + -top + ", " + top + "] (weightBits = " + weightBits + ")");
            }
        }
        multipliers = multipliers.clone();
        bias = bias == null ? new long[outFeatures] : bias.clone();
        if (bias.length != outFeatures) {
            throw new ModelFormatException(name + ".bias: length " + bias.length + " != outFeatures = " + outFeatures);
        }
        LayerChecks.checkAccumulatorBits(name + ".point", pointAccumulatorBits);
        LayerChecks.checkAccumulatorBits(name, accumulatorBits);
    }

    /** Total point rows {@code R = Σ n_o}. */
    public int rows() {
        return multipliers.length;
    }

    /** First row of each channel, and {@code R} at index {@code outFeatures}. */
    public int[] rowStarts() {
        int[] s = new int[outFeatures + 1];
        for (int o = 0; o < outFeatures; o++) {
            s[o + 1] = s[o] + points[o];
        }
        return s;
    }

    /** The point rows as a {@code dense} op named {@code name + "/points"} (no bias): how the runtime accumulates them. */
    public DenseOp pointsAsDense() {
        return new DenseOp(pointsName(), input, inFeatures, rows(), codes, null, pointAccumulatorBits, null);
    }

    /** The name under which the point accumulators appear in range analyses and certificates. */
    public String pointsName() {
        return name + "/points";
    }

    @Override
    public int[] points() {
        return points.clone();
    }

    @Override
    public int[] codes() {
        return codes.clone();
    }

    @Override
    public long[] multipliers() {
        return multipliers.clone();
    }

    @Override
    public long[] bias() {
        return bias.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public String opType() {
        return "multipoint_dense";
    }

    @Override
    public TensorInfo infer(List<TensorInfo> in, String field) {
        TensorInfo x = in.get(0);
        ModelOp.requireKind(x, TensorKind.INT, field, input);
        if (x.shape().length != 1 || x.numel() != inFeatures) {
            throw new ModelFormatException(field + ": input '" + input + "' has shape " + Shapes.toString(x.shape())
                    + ", expected [" + inFeatures + "] (flatten first)");
        }
        return new TensorInfo(new int[] {outFeatures}, TensorKind.INT);
    }
}
