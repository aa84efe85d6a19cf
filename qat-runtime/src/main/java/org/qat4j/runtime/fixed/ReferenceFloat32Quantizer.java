package org.qat4j.runtime.fixed;

/**
 * Float32 re-enactment of HGQ2's NumPy reference quantizer ({@code quantizers} 1.2.2,
 * {@code get_fixed_quantizer_np}), operation by operation, for compatibility tests. HGQ: arXiv
 * 2405.00645, Section 3.
 *
 * <p>The reference uses {@code i_eff = max(i, -f)}; clips before rounding under SAT/SAT_SYM with
 * NumPy's {@code clip} ({@code min(max(x, lo), hi)} where {@code max(a, b) = a > b ? a : b}, so
 * {@code clip(0.0, -0.0, hi)} is {@code -0.0}); rounds {@code x * 2^f} with float32 expressions such as
 * {@code floor(y + 0.5)}; and wraps after rounding with NumPy's floored remainder. NumPy's {@code sign}
 * maps both zeros to {@code +0.0}, unlike {@link Math#signum(float)}. Every step is a single IEEE float32
 * operation, as in NumPy on float32 arrays, so the signs of zeros match too.
 */
final class ReferenceFloat32Quantizer {

    private ReferenceFloat32Quantizer() {}

    static float quantize(float x, FixedFormat fmt, RoundingMode rounding, OverflowMode overflow) {
        float k = fmt.k();
        float f = fmt.f();
        float i = Math.max((float) fmt.i(), -f);
        float v = x;
        if (overflow != OverflowMode.WRAP) {
            v = saturate(v, k, i, f, overflow);
        }
        v = roundScaled(v, f, rounding);
        if (overflow == OverflowMode.WRAP) {
            v = wrap(v, k, i);
        }
        return v;
    }

    private static float saturate(float x, float k, float i, float f, OverflowMode overflow) {
        float eps = pow2(-f);
        float max = pow2(i) - eps;
        float min = overflow == OverflowMode.SAT ? -pow2(i) * k : -max * k;
        return npMin(npMax(x, min), max);
    }

    private static float wrap(float x, float k, float i) {
        float bk = i + k;
        float bias = k * pow2(bk - 1.0f);
        return npRemainder(x + bias, pow2(bk)) - bias;
    }

    private static float roundScaled(float x, float f, RoundingMode rounding) {
        float scale = pow2(f);
        float y = x * scale;
        float r;
        switch (rounding) {
            case TRN:
                r = floor(y);
                break;
            case RND:
                r = floor(y + 0.5f);
                break;
            case RND_CONV:
                r = (float) Math.rint(y);
                break;
            case TRN_ZERO:
                r = floor(Math.abs(y)) * npSign(y);
                break;
            case RND_ZERO:
                r = -floor(-Math.abs(y) + 0.5f) * npSign(y);
                break;
            case RND_MIN_INF:
                r = -floor(-y + 0.5f);
                break;
            case RND_INF:
                r = floor(Math.abs(y) + 0.5f) * npSign(y);
                break;
            default:
                throw new AssertionError(rounding);
        }
        return r / scale;
    }

    /** {@code 2.0 ** e} for an integer-valued float32 exponent: exact, like NumPy's float32 power. */
    private static float pow2(float e) {
        return Math.scalb(1.0f, (int) e);
    }

    private static float floor(float y) {
        return (float) Math.floor(y);
    }

    private static float npSign(float y) {
        return y > 0 ? 1.0f : y < 0 ? -1.0f : y == 0 ? 0.0f : y;
    }

    private static float npMax(float a, float b) {
        return Float.isNaN(a) ? a : a > b ? a : b;
    }

    private static float npMin(float a, float b) {
        return Float.isNaN(a) ? a : a < b ? a : b;
    }

    /** NumPy's floored remainder: {@code fmod}, moved into the divisor's sign with a float32 add. */
    private static float npRemainder(float a, float b) {
        float mod = a % b;
        if (mod != 0.0f) {
            if ((b < 0) != (mod < 0)) {
                mod += b;
            }
        } else {
            mod = Math.copySign(0.0f, b);
        }
        return mod;
    }
}
