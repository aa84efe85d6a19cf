package org.qat4j.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code dense}: {@code acc_o = bias_o + Σ_j W[o][j] · x_j} on integers, accumulated in a signed
 * register of {@code accumulatorBits} bits (P). Weights are already aligned so that every product
 * of output {@code o} lies on one grid (HGQ, arXiv 2405.00645 §10: products aligned to a common
 * fraction, bias added, then requantized by a following op). The optional {@link A2qConstraint}
 * states the A2Q/A2Q+ bound the weights were trained under.
 *
 * @param name output tensor, shape {@code [outFeatures]}
 * @param input integer input of {@code inFeatures} elements (rank 1)
 * @param inFeatures K
 * @param outFeatures output channels
 * @param weights row-major {@code [outFeatures][inFeatures]}
 * @param bias integer bias per output at the accumulator's grid (zeros when absent)
 * @param accumulatorBits declared signed accumulator width P, in [2, 64]
 * @param constraint A2Q/A2Q+ constraint, or null
 */
public record DenseOp(
        String name,
        String input,
        int inFeatures,
        int outFeatures,
        int[] weights,
        long[] bias,
        int accumulatorBits,
        A2qConstraint constraint)
        implements ModelOp {

    /** Validates sizes (copies arrays). */
    public DenseOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new ModelFormatException(
                    name + ": inFeatures = " + inFeatures + ", outFeatures = " + outFeatures + " must be positive");
        }
        if ((long) inFeatures * outFeatures != weights.length) {
            throw new ModelFormatException(name + ".weights: length " + weights.length
                    + " != outFeatures × inFeatures = " + outFeatures + " × " + inFeatures);
        }
        bias = bias == null ? new long[outFeatures] : bias.clone();
        if (bias.length != outFeatures) {
            throw new ModelFormatException(name + ".bias: length " + bias.length + " != outFeatures = " + outFeatures);
        }
        weights = weights.clone();
        LayerChecks.checkAccumulatorBits(name, accumulatorBits);
    }

    @Override
    public int[] weights() {
        return weights.clone();
    }

    /**
     * The weights without a copy, read-only, in stored order: for passes over large layers (the
     * certificate checker) that must not duplicate them.
     */
    public java.nio.IntBuffer weightView() {
        return java.nio.IntBuffer.wrap(weights).asReadOnlyBuffer();
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
        return "dense";
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
