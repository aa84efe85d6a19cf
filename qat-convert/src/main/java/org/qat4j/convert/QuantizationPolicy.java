package org.qat4j.convert;

import java.util.Objects;
import org.qat4j.hgq.quant.BitGranularity;
import org.qat4j.hgq.quant.HgqQuantizerConfig;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * How {@link QatModels#wrap} quantizes a float model: with HGQ (trainable fixed-point bits per weight
 * and per activation, arXiv 2405.00645) everywhere, or with the A2Q family (accumulator-aware weight
 * normalization, A2Q arXiv 2308.13504 / A2Q+ arXiv 2401.10432) with a per-layer {@link A2qLayerRule}.
 * One method per model: the two export to different integer formats.
 *
 * <pre>{@code
 * QuantizationPolicy.hgq().optWeightBits(8).optActivationFractionalBits(6).build();
 * QuantizationPolicy.a2qPlus(16);   // A2Q+ P = 16, M = N = 8; first and last layers unconstrained 8-bit
 * }</pre>
 */
public final class QuantizationPolicy {

    /** The quantization method of the whole model. */
    public enum Method {
        HGQ,
        A2Q
    }

    private final Method method;
    private final int weightBits;
    private final BitGranularity weightGranularity;
    private final int activationFractionalBits;
    private final int activationIntegerBits;
    private final BitGranularity denseInputGranularity;
    private final BitGranularity convInputGranularity;
    private final double beta;
    private final A2qLayerRule rule;
    private final boolean epInit;
    private final float regularization;

    private QuantizationPolicy(HgqBuilder b) {
        method = Method.HGQ;
        weightBits = b.weightBits;
        weightGranularity = b.weightGranularity;
        activationFractionalBits = b.activationFractionalBits;
        activationIntegerBits = b.activationIntegerBits;
        denseInputGranularity = b.denseInputGranularity;
        convInputGranularity = b.convInputGranularity;
        beta = b.beta;
        rule = null;
        epInit = false;
        regularization = 0f;
    }

    private QuantizationPolicy(A2qBuilder b) {
        method = Method.A2Q;
        weightBits = 0;
        weightGranularity = null;
        activationFractionalBits = 0;
        activationIntegerBits = 0;
        denseInputGranularity = null;
        convInputGranularity = null;
        beta = 0;
        rule = b.rule;
        epInit = b.epInit;
        regularization = b.regularization;
    }

    /** Starts an HGQ policy: b0 = 8 significant bits per weight, activations f0 = 6, β = 0. */
    public static HgqBuilder hgq() {
        return new HgqBuilder();
    }

    /** Starts an A2Q-family policy; {@link A2qBuilder#setLayerRule} is required. */
    public static A2qBuilder a2q() {
        return new A2qBuilder();
    }

    /**
     * A2Q+ with a P-bit accumulator, 8-bit weights and 8-bit inputs on every layer except the first and
     * the last, which stay unconstrained with 8-bit weights and inputs (the usual A2Q+ setup, arXiv
     * 2401.10432, Sec. 5); EP-init on.
     */
    public static QuantizationPolicy a2qPlus(int accumulatorBits) {
        new A2qLayerChoice(Variant.A2Q_PLUS, 8, 8, accumulatorBits); // validates P now, not at wrap time
        return a2q().setLayerRule(site -> site.isFirst() || site.isLast()
                        ? A2qLayerChoice.unconstrained(8, 8)
                        : new A2qLayerChoice(Variant.A2Q_PLUS, 8, 8, accumulatorBits))
                .build();
    }

    public Method getMethod() {
        return method;
    }

    /** HGQ: b0, the initial significant bits of every weight and bias. */
    public int getWeightBits() {
        return weightBits;
    }

    /** HGQ: how kernel weights share bits. */
    public BitGranularity getWeightGranularity() {
        return weightGranularity;
    }

    /** HGQ: f0 of the activation quantizers (integer bits come from calibration data). */
    public int getActivationFractionalBits() {
        return activationFractionalBits;
    }

    /** HGQ: i0 of the activation quantizers before calibration. */
    public int getActivationIntegerBits() {
        return activationIntegerBits;
    }

    /** HGQ: how a dense layer's input features share bits. */
    public BitGranularity getDenseInputGranularity() {
        return denseInputGranularity;
    }

    /** HGQ: how a convolution's input shares bits (PER_CHANNEL or PER_TENSOR). */
    public BitGranularity getConvInputGranularity() {
        return convInputGranularity;
    }

    /** HGQ: initial β of the EBOPs term. */
    public double getBeta() {
        return beta;
    }

    /** A2Q: the per-layer rule. */
    public A2qLayerRule getLayerRule() {
        return rule;
    }

    /** A2Q: whether constrained layers are EP-initialized (A2Q+ arXiv 2401.10432, Sec. 4.2) after import. */
    public boolean isEpInit() {
        return epInit;
    }

    /** A2Q: λ of the norm penalty {@code λ·Σ relu(g − T·s)}. */
    public float getRegularization() {
        return regularization;
    }

    /** HGQ quantizer settings for a kernel or bias. */
    HgqQuantizerConfig weightConfig(boolean kernel) {
        return HgqQuantizerConfig.weights()
                .optInitialSignificantBits(weightBits)
                .optGranularity(kernel ? weightGranularity : BitGranularity.PER_ELEMENT)
                .build();
    }

    /** HGQ quantizer settings for the input of a dense (false) or convolution (true) layer. */
    HgqQuantizerConfig inputConfig(boolean conv) {
        return activationConfig(conv ? convInputGranularity : denseInputGranularity);
    }

    HgqQuantizerConfig activationConfig(BitGranularity granularity) {
        return HgqQuantizerConfig.activations()
                .optGranularity(granularity)
                .optInitialFractionalBits(activationFractionalBits)
                .optInitialIntegerBits(activationIntegerBits)
                .build();
    }

    @Override
    public String toString() {
        return method == Method.HGQ
                ? "HGQ(b0=" + weightBits + ", f0=" + activationFractionalBits + ", beta=" + beta + ")"
                : "A2Q(epInit=" + epInit + ", lambda=" + regularization + ")";
    }

    /** Builder of an HGQ policy; every setting is optional. */
    public static final class HgqBuilder {
        private int weightBits = 8;
        private BitGranularity weightGranularity = BitGranularity.PER_ELEMENT;
        private int activationFractionalBits = 6;
        private int activationIntegerBits = 2;
        private BitGranularity denseInputGranularity = BitGranularity.PER_ELEMENT;
        private BitGranularity convInputGranularity = BitGranularity.PER_CHANNEL;
        private double beta;

        private HgqBuilder() {}

        /** b0: initial significant bits of each weight and bias, {@code f = b0 − floor(log2|w|) − 1} (default 8). */
        public HgqBuilder optWeightBits(int b0) {
            this.weightBits = b0;
            return this;
        }

        /** Kernel bit sharing (default PER_ELEMENT, HGQ's per-weight bits). */
        public HgqBuilder optWeightGranularity(BitGranularity granularity) {
            this.weightGranularity = granularity;
            return this;
        }

        /** f0: initial fractional bits of every activation quantizer (default 6). */
        public HgqBuilder optActivationFractionalBits(int f0) {
            this.activationFractionalBits = f0;
            return this;
        }

        /** i0: integer bits of activation quantizers before calibration (default 2). */
        public HgqBuilder optActivationIntegerBits(int i0) {
            this.activationIntegerBits = i0;
            return this;
        }

        /** Bit sharing of dense inputs (default PER_ELEMENT: one width per input feature). */
        public HgqBuilder optDenseInputGranularity(BitGranularity granularity) {
            this.denseInputGranularity = granularity;
            return this;
        }

        /** Bit sharing of convolution inputs (default PER_CHANNEL; PER_ELEMENT is refused by HGQ convolutions). */
        public HgqBuilder optConvInputGranularity(BitGranularity granularity) {
            this.convInputGranularity = granularity;
            return this;
        }

        /** Initial β of the EBOPs term (default 0; a schedule usually raises it). */
        public HgqBuilder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        public QuantizationPolicy build() {
            if (weightBits < 1 || weightBits > 24) {
                throw new IllegalArgumentException("weightBits (b0) must be in [1, 24], got " + weightBits);
            }
            Objects.requireNonNull(weightGranularity, "weightGranularity");
            Objects.requireNonNull(denseInputGranularity, "denseInputGranularity");
            Objects.requireNonNull(convInputGranularity, "convInputGranularity");
            if (convInputGranularity == BitGranularity.PER_ELEMENT) {
                throw new IllegalArgumentException(
                        "convInputGranularity must be PER_CHANNEL or PER_TENSOR, got PER_ELEMENT"
                                + " (EBOPs of a convolution need one width per input channel)");
            }
            if (!(beta >= 0) || Double.isInfinite(beta)) {
                throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
            }
            int fMax = HgqQuantizerConfig.FLOAT32_MAX_FRACTIONAL_BITS;
            if (activationFractionalBits < -fMax || activationFractionalBits > fMax) {
                throw new IllegalArgumentException("activationFractionalBits (f0) must be in [-" + fMax + ", " + fMax
                        + "], got " + activationFractionalBits);
            }
            int iMax = HgqQuantizerConfig.FLOAT32_MAX_INTEGER_BITS;
            if (activationIntegerBits < -iMax || activationIntegerBits > iMax) {
                throw new IllegalArgumentException("activationIntegerBits (i0) must be in [-" + iMax + ", " + iMax
                        + "], got " + activationIntegerBits);
            }
            return new QuantizationPolicy(this);
        }
    }

    /** Builder of an A2Q-family policy: {@code setLayerRule} required. */
    public static final class A2qBuilder {
        private A2qLayerRule rule;
        private boolean epInit = true;
        private float regularization = 1e-3f;

        private A2qBuilder() {}

        /** The variant and M, N, P of each layer (required). */
        public A2qBuilder setLayerRule(A2qLayerRule rule) {
            this.rule = rule;
            return this;
        }

        /** One choice for every layer. */
        public A2qBuilder setEveryLayer(A2qLayerChoice choice) {
            Objects.requireNonNull(choice, "choice");
            this.rule = site -> choice;
            return this;
        }

        /** EP-init constrained layers after the float weights are imported (default true). */
        public A2qBuilder optEpInit(boolean epInit) {
            this.epInit = epInit;
            return this;
        }

        /** λ of the norm penalty (default 1e-3, arXiv 2308.13504, Sec. 4.2; 0 disables). */
        public A2qBuilder optRegularization(float lambda) {
            this.regularization = lambda;
            return this;
        }

        public QuantizationPolicy build() {
            if (rule == null) {
                throw new IllegalArgumentException("layerRule is required (setLayerRule or setEveryLayer)");
            }
            if (!(regularization >= 0) || Float.isInfinite(regularization)) {
                throw new IllegalArgumentException("regularization must be finite and >= 0, got " + regularization);
            }
            return new QuantizationPolicy(this);
        }
    }
}
