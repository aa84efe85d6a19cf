package org.qat4j.a2q.kernel;

import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * The accumulator bound T as the float32 value the training graph clamps {@code g/s} against, computed with the
 * same float32 operations as the reference implementation so the integer weights agree with it bit for bit:
 *
 * <ul>
 *   <li>A2Q (arXiv 2308.13504, Eq. 13): {@code T = (fl(2^(P−1)) − 1) · 2^(σ−N)} (exact for P ≤ 25);</li>
 *   <li>A2Q+ (arXiv 2401.10432, Eq. 9): {@code T = (fl(2^P) − 2) / (fl(2^N) − 1)}, one correctly rounded float32
 *       division.</li>
 * </ul>
 *
 * <p>These floats only steer training; whether a channel really satisfies its bound is decided exactly, in
 * integers, by {@link org.qat4j.runtime.bound.A2qBounds}.
 */
public final class AccumulatorBoundsFloat32 {

    private AccumulatorBoundsFloat32() {}

    /** @deprecated use {@link #bound(Variant, int, int, boolean)} with {@link Variant}. */
    @Deprecated
    public static float bound(A2qVariant variant, int accumulatorBits, int inputBits, boolean inputSigned) {
        return bound(variant.toVariant(), accumulatorBits, inputBits, inputSigned);
    }

    /** float32 T of {@code variant} for P accumulator bits and N-bit inputs of signedness σ. */
    public static float bound(Variant variant, int accumulatorBits, int inputBits, boolean inputSigned) {
        if (accumulatorBits < 2 || accumulatorBits > 64) {
            throw new IllegalArgumentException("accumulatorBits (P) must be in [2, 64], got " + accumulatorBits);
        }
        if (inputBits < 1 || inputBits > 32) {
            throw new IllegalArgumentException("inputBits (N) must be in [1, 32], got " + inputBits);
        }
        switch (variant) {
            case A2Q: {
                float mag = (float) Math.scalb(1.0, accumulatorBits - 1) - 1f;
                return mag * (float) Math.scalb(1.0, (inputSigned ? 1 : 0) - inputBits);
            }
            case A2Q_PLUS: {
                float num = (float) Math.scalb(1.0, accumulatorBits) - 2f;
                return num / ((float) Math.scalb(1.0, inputBits) - 1f);
            }
            default:
                throw new IllegalArgumentException("variant " + variant + " has no accumulator bound");
        }
    }
}
