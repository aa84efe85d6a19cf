package org.qat4j.ptq.apply;

/**
 * Settings of one post-training quantization (immutable; {@link #builder()}). Options are named as on the
 * {@code qat ptq} command line in error messages.
 */
public final class PtqConfig {

    private final PtqMethod method;
    private final int weightBits;
    private final int activationBits;
    private final Integer accumulatorBits;
    private final Integer firstLastWeightBits;
    private final double percentile;
    private final int iterations;
    private final int batchSize;
    private final int powellEvaluations;
    private final long seed;
    private final org.qat4j.ptq.kernel.SparqSettings sparq;

    private PtqConfig(Builder b) {
        method = b.method;
        weightBits = b.weightBits;
        activationBits = b.activationBits;
        accumulatorBits = b.accumulatorBits;
        firstLastWeightBits = b.firstLastWeightBits;
        percentile = b.percentile;
        iterations = b.iterations;
        batchSize = b.batchSize;
        powellEvaluations = b.powellEvaluations;
        seed = b.seed;
        sparq = b.sparq;
    }

    /** SPARQ's windows, rounding and pairing (used by {@code sparq} only; default 3 windows, rounding, vSPARQ). */
    public org.qat4j.ptq.kernel.SparqSettings sparq() {
        return sparq;
    }

    public static Builder builder() {
        return new Builder();
    }

    public PtqMethod method() {
        return method;
    }

    /** M: bits of every layer's weights. */
    public int weightBits() {
        return weightBits;
    }

    /** A: bits of every activation quantizer but the model input's (8). */
    public int activationBits() {
        return activationBits;
    }

    /** P of AXE (null for every other method). */
    public Integer accumulatorBits() {
        return accumulatorBits;
    }

    /**
     * Bits of the first and last layers' weights, or null when they have {@link #weightBits()} like every other
     * layer. When set, AXE leaves these two layers unconstrained, as the A2Q/A2Q+ papers (arXiv 2308.13504 §5,
     * arXiv 2401.10432 §5) and Brevitas' examples keep the first and last layers at 8 bits without the bound.
     */
    public Integer firstLastWeightBits() {
        return firstLastWeightBits;
    }

    /** M of one layer: {@link #firstLastWeightBits()} for the first and last, {@link #weightBits()} otherwise. */
    public int weightBits(boolean firstOrLast) {
        return firstOrLast && firstLastWeightBits != null ? firstLastWeightBits : weightBits;
    }

    /** Percentile of the PERCENTILE method's activation clips. */
    public double percentile() {
        return percentile;
    }

    /** AdaRound/BRECQ: Adam iterations per reconstructed block. */
    public int iterations() {
        return iterations;
    }

    /** AdaRound/BRECQ: samples per iteration. */
    public int batchSize() {
        return batchSize;
    }

    /** LAPQ: loss evaluations allowed to the joint Powell step. */
    public int powellEvaluations() {
        return powellEvaluations;
    }

    /** Seed of the reconstruction batches. */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return method + " W" + weightBits + "A" + activationBits
                + (accumulatorBits == null ? "" : " P" + accumulatorBits)
                + (firstLastWeightBits == null ? "" : " (first and last layers W" + firstLastWeightBits + ")")
                + (method == PtqMethod.SPARQ ? " (" + sparq.label() + ")" : "");
    }

    /** Builder; {@code setMethod}, {@code setWeightBits}, {@code setActivationBits} required. */
    public static final class Builder {
        private PtqMethod method;
        private int weightBits = -1;
        private int activationBits = -1;
        private Integer accumulatorBits;
        private Integer firstLastWeightBits;
        private double percentile = 99.99;
        private int iterations = 2000;
        private int batchSize = 64;
        private int powellEvaluations = 300;
        private long seed = 42;
        private org.qat4j.ptq.kernel.SparqSettings sparq = new org.qat4j.ptq.kernel.SparqSettings(3, true, true);

        public Builder setMethod(PtqMethod method) {
            this.method = method;
            return this;
        }

        /** M ∈ [2, 16]. */
        public Builder setWeightBits(int bits) {
            this.weightBits = bits;
            return this;
        }

        /** A ∈ [2, 16]. */
        public Builder setActivationBits(int bits) {
            this.activationBits = bits;
            return this;
        }

        /** P ∈ [4, 32], required by AXE and refused by every other method. */
        public Builder optAccumulatorBits(Integer bits) {
            this.accumulatorBits = bits;
            return this;
        }

        /** Bits of the first and last layers' weights ∈ [2, 16]; null (default): {@code --weight-bits}. */
        public Builder optFirstLastWeightBits(Integer bits) {
            this.firstLastWeightBits = bits;
            return this;
        }

        public Builder optPercentile(double percentile) {
            this.percentile = percentile;
            return this;
        }

        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optPowellEvaluations(int evaluations) {
            this.powellEvaluations = evaluations;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** SPARQ's settings ({@code sparq} only). */
        public Builder optSparq(org.qat4j.ptq.kernel.SparqSettings sparq) {
            this.sparq = java.util.Objects.requireNonNull(sparq, "sparq");
            return this;
        }

        public PtqConfig build() {
            if (method == null) {
                throw new IllegalArgumentException("METHOD is required");
            }
            if (weightBits < 2 || weightBits > 16) {
                throw new IllegalArgumentException("--weight-bits must be in [2, 16], got " + weightBits);
            }
            if (activationBits < 2 || activationBits > 16) {
                throw new IllegalArgumentException("--act-bits must be in [2, 16], got " + activationBits);
            }
            if (method == PtqMethod.SPARQ && activationBits != org.qat4j.ptq.kernel.SparqSettings.INPUT_BITS) {
                throw new IllegalArgumentException(
                        "sparq serves 8-bit activations with 4-bit windows: --act-bits must be 8, got "
                                + activationBits);
            }
            if (method.needsAccumulator() && accumulatorBits == null) {
                throw new IllegalArgumentException(
                        method.cliName() + " needs --acc-bits P (the accumulator it certifies)");
            }
            if (!method.needsAccumulator() && accumulatorBits != null) {
                throw new IllegalArgumentException("--acc-bits " + accumulatorBits
                        + " is only used by axe and axe-gptq, " + "not by " + method.cliName());
            }
            if (firstLastWeightBits != null && (firstLastWeightBits < 2 || firstLastWeightBits > 16)) {
                throw new IllegalArgumentException("--first-last-bits must be in [2, 16], got " + firstLastWeightBits);
            }
            if (accumulatorBits != null && (accumulatorBits < 4 || accumulatorBits > 32)) {
                throw new IllegalArgumentException("--acc-bits must be in [4, 32], got " + accumulatorBits);
            }
            if (!(percentile > 0 && percentile <= 100)) {
                throw new IllegalArgumentException("--percentile must be in (0, 100], got " + percentile);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
            }
            if (powellEvaluations < 1) {
                throw new IllegalArgumentException("--powell-evaluations must be >= 1, got " + powellEvaluations);
            }
            return new PtqConfig(this);
        }
    }
}
