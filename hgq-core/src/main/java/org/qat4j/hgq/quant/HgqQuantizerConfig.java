package org.qat4j.hgq.quant;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.qat4j.core.fixed.FakeQuantizeOptions;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Immutable settings of one {@link HgqQuantizer} (HGQ, arXiv 2405.00645). Build with
 * {@link #weights()} or {@link #activations()}, which start from the defaults that do not zero a
 * freshly initialised layer (§6 of the paper's follow-up HGQ2: weights start with b0 = 8 significant
 * bits, {@code f = b0 − floor(log2 max|w|) − 1}; activations with i0 = 2, f0 = 6).
 *
 * @param role weights/bias or activations
 * @param granularity how values share bits
 * @param integerBits where integer bits come from
 * @param rounding rounding of the scaled value (default RND, half up)
 * @param overflow overflow mode at inference (FROM_DATA activations) or in training (TRAINABLE)
 * @param initialFractionalBits f0 for activations
 * @param initialIntegerBits i0: activations' integer bits before any data was seen; TRAINABLE start
 * @param initialSignificantBits b0 for weights
 * @param signed sign bit k for TRAINABLE mode and for activations before any data was seen
 * @param minFractionalBits lower clip of f after each step
 * @param maxFractionalBits upper clip of f after each step
 * @param minIntegerBits lower clip of trainable i
 * @param maxIntegerBits upper clip of trainable i
 * @param bitL1 strength of the L1 term on the bit parameters (plain sum, pushes bits down)
 * @param scaleSharedGradient scale the gradient of shared bits by 1/sqrt(sharing count) (HGQ v1)
 */
public record HgqQuantizerConfig(
        QuantizerRole role,
        BitGranularity granularity,
        IntegerBitsMode integerBits,
        RoundingMode rounding,
        OverflowMode overflow,
        int initialFractionalBits,
        int initialIntegerBits,
        int initialSignificantBits,
        boolean signed,
        int minFractionalBits,
        int maxFractionalBits,
        int minIntegerBits,
        int maxIntegerBits,
        double bitL1,
        boolean scaleSharedGradient) {

    /** Largest |f| kept exact in float32 arithmetic. */
    public static final int FLOAT32_MAX_FRACTIONAL_BITS = 24;
    /** Largest |i| kept exact in float32 arithmetic. */
    public static final int FLOAT32_MAX_INTEGER_BITS = 23;

    /** Starts a weight (kernel or bias) quantizer: per element, bits from values, b0 = 8. */
    public static Builder weights() {
        return new Builder(QuantizerRole.WEIGHT).optOverflow(OverflowMode.SAT);
    }

    /** Starts an activation quantizer: per element (shared over the batch), v1 ranges, i0 = 2, f0 = 6, WRAP. */
    public static Builder activations() {
        return new Builder(QuantizerRole.ACTIVATION);
    }

    /**
     * The training-time quantizer's options ({@code FixedPointOps.fakeQuantize}) this configuration holds:
     * its rounding and overflow, deterministic rounding, and integer bits trained through the clip bounds
     * exactly when they are {@link IntegerBitsMode#TRAINABLE}. An HGQ configuration is these options plus
     * the bit parameters' role, granularity, initial values, ranges and L1 weight.
     */
    public FakeQuantizeOptions fakeQuantizeOptions() {
        return FakeQuantizeOptions.builder()
                .optRounding(rounding)
                .optOverflow(overflow)
                .optTrainableIntegerBits(integerBits == IntegerBitsMode.TRAINABLE)
                .build();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder(role);
        b.granularity = granularity;
        b.integerBits = integerBits;
        b.rounding = rounding;
        b.overflow = overflow;
        b.f0 = initialFractionalBits;
        b.i0 = initialIntegerBits;
        b.b0 = initialSignificantBits;
        b.signed = signed;
        b.minF = minFractionalBits;
        b.maxF = maxFractionalBits;
        b.minI = minIntegerBits;
        b.maxI = maxIntegerBits;
        b.bitL1 = bitL1;
        b.scaleSharedGradient = scaleSharedGradient;
        return b;
    }

    void write(DataOutputStream os) throws IOException {
        os.writeByte(1);
        os.writeUTF(role.name());
        os.writeUTF(granularity.name());
        os.writeUTF(integerBits.name());
        os.writeUTF(rounding.name());
        os.writeUTF(overflow.name());
        os.writeInt(initialFractionalBits);
        os.writeInt(initialIntegerBits);
        os.writeInt(initialSignificantBits);
        os.writeBoolean(signed);
        os.writeInt(minFractionalBits);
        os.writeInt(maxFractionalBits);
        os.writeInt(minIntegerBits);
        os.writeInt(maxIntegerBits);
        os.writeDouble(bitL1);
        os.writeBoolean(scaleSharedGradient);
    }

    static HgqQuantizerConfig read(DataInputStream is) throws IOException {
        int v = is.readByte();
        if (v != 1) {
            throw new IOException("HgqQuantizerConfig: unknown metadata version " + v + " (this library reads 1)");
        }
        Builder b = new Builder(readEnum(QuantizerRole.class, is.readUTF(), "role"));
        b.granularity = readEnum(BitGranularity.class, is.readUTF(), "granularity");
        b.integerBits = readEnum(IntegerBitsMode.class, is.readUTF(), "integerBits");
        b.rounding = readEnum(RoundingMode.class, is.readUTF(), "rounding");
        b.overflow = readEnum(OverflowMode.class, is.readUTF(), "overflow");
        b.f0 = is.readInt();
        b.i0 = is.readInt();
        b.b0 = is.readInt();
        b.signed = is.readBoolean();
        b.minF = is.readInt();
        b.maxF = is.readInt();
        b.minI = is.readInt();
        b.maxI = is.readInt();
        b.bitL1 = is.readDouble();
        b.scaleSharedGradient = is.readBoolean();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IOException("HgqQuantizerConfig in the model file is invalid: " + e.getMessage(), e);
        }
    }

    private static <E extends Enum<E>> E readEnum(Class<E> type, String name, String field) throws IOException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException("HgqQuantizerConfig field " + field + ": unknown value '" + name + "'", e);
        }
    }

    /** Builder in DJL's style; every setting is optional. */
    public static final class Builder {
        private final QuantizerRole role;
        private BitGranularity granularity = BitGranularity.PER_ELEMENT;
        private IntegerBitsMode integerBits = IntegerBitsMode.FROM_DATA;
        private RoundingMode rounding = RoundingMode.RND;
        private OverflowMode overflow = OverflowMode.WRAP;
        private int f0 = 6;
        private int i0 = 2;
        private int b0 = 8;
        private boolean signed = true;
        private int minF = -FLOAT32_MAX_FRACTIONAL_BITS;
        private int maxF = FLOAT32_MAX_FRACTIONAL_BITS;
        private int minI = -FLOAT32_MAX_INTEGER_BITS;
        private int maxI = FLOAT32_MAX_INTEGER_BITS;
        private double bitL1 = 1e-8;
        private boolean scaleSharedGradient = true;

        private Builder(QuantizerRole role) {
            this.role = role;
        }

        public Builder optGranularity(BitGranularity granularity) {
            this.granularity = granularity;
            return this;
        }

        public Builder optIntegerBits(IntegerBitsMode integerBits) {
            this.integerBits = integerBits;
            return this;
        }

        public Builder optRounding(RoundingMode rounding) {
            this.rounding = rounding;
            return this;
        }

        public Builder optOverflow(OverflowMode overflow) {
            this.overflow = overflow;
            return this;
        }

        /** f0: initial fractional bits of activations (default 6). */
        public Builder optInitialFractionalBits(int f0) {
            this.f0 = f0;
            return this;
        }

        /** i0: initial integer bits (default 2). */
        public Builder optInitialIntegerBits(int i0) {
            this.i0 = i0;
            return this;
        }

        /** b0: initial significant bits of each weight (default 8). */
        public Builder optInitialSignificantBits(int b0) {
            this.b0 = b0;
            return this;
        }

        public Builder optSigned(boolean signed) {
            this.signed = signed;
            return this;
        }

        public Builder optFractionalBitsRange(int min, int max) {
            this.minF = min;
            this.maxF = max;
            return this;
        }

        public Builder optIntegerBitsRange(int min, int max) {
            this.minI = min;
            this.maxI = max;
            return this;
        }

        /** Strength of the L1 term on bit parameters (default 1e-8). */
        public Builder optBitL1(double bitL1) {
            this.bitL1 = bitL1;
            return this;
        }

        public Builder optScaleSharedGradient(boolean scale) {
            this.scaleSharedGradient = scale;
            return this;
        }

        public HgqQuantizerConfig build() {
            if (granularity == null || integerBits == null || rounding == null || overflow == null) {
                throw new IllegalArgumentException("granularity, integerBits, rounding and overflow must not be null");
            }
            int fm = FLOAT32_MAX_FRACTIONAL_BITS;
            int im = FLOAT32_MAX_INTEGER_BITS;
            if (minF < -fm || maxF > fm || minF > maxF) {
                throw new IllegalArgumentException(String.format(
                        "fractionalBitsRange must satisfy -%d <= min <= max <= %d (exact in float32), got [%d, %d]",
                        fm, fm, minF, maxF));
            }
            if (minI < -im || maxI > im || minI > maxI) {
                throw new IllegalArgumentException(String.format(
                        "integerBitsRange must satisfy -%d <= min <= max <= %d (exact in float32), got [%d, %d]",
                        im, im, minI, maxI));
            }
            if (f0 < minF || f0 > maxF) {
                throw new IllegalArgumentException(String.format(
                        "initialFractionalBits must lie in fractionalBitsRange [%d, %d], got %d", minF, maxF, f0));
            }
            if (i0 < minI || i0 > maxI) {
                throw new IllegalArgumentException(String.format(
                        "initialIntegerBits must lie in integerBitsRange [%d, %d], got %d", minI, maxI, i0));
            }
            if (b0 < 1 || b0 > 24) {
                throw new IllegalArgumentException(
                        "initialSignificantBits must be in [1, 24] (b0 < 1 zeroes every weight), got " + b0);
            }
            if (!(bitL1 >= 0) || Double.isInfinite(bitL1)) {
                throw new IllegalArgumentException("bitL1 must be finite and >= 0, got " + bitL1);
            }
            if (integerBits == IntegerBitsMode.TRAINABLE && overflow == OverflowMode.WRAP) {
                throw new IllegalArgumentException(
                        "overflow must be SAT or SAT_SYM when integerBits is TRAINABLE (WRAP has no gradient), got WRAP");
            }
            return new HgqQuantizerConfig(
                    role,
                    granularity,
                    integerBits,
                    rounding,
                    overflow,
                    f0,
                    i0,
                    b0,
                    signed,
                    minF,
                    maxF,
                    minI,
                    maxI,
                    bitL1,
                    scaleSharedGradient);
        }
    }
}
