package org.qat4j.export.c;

import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * The fixed-point primitives of generated C, a line-by-line transcription of
 * {@code org.qat4j.runtime.fixed.FixedPoint} (docs/fixed-point.md; HGQ arXiv 2405.00645 §3):
 * {@code quantize(x) = O(R(x · 2^f))} on the exact value of a float32 ({@code x = M · 2^E}, so rounding is
 * an integer right shift of M with the tie decided from the dropped bits — no float operation touches
 * the value), {@code requantize(m) = O(R(m · 2^-s))} with integer shifts, and the overflow modes. Signed
 * values are shifted left through {@code uint64_t} (a left shift of a negative signed value is undefined
 * in C); right shifts of negative values are arithmetic, as in every compiler qat4j tests (gcc, clang).
 */
final class CFixedPointSource {
    private CFixedPointSource() {}

    static String text(boolean quantize, boolean requantize, boolean rint) {
        StringBuilder b = new StringBuilder();
        b.append("enum {");
        for (RoundingMode r : RoundingMode.values()) {
            b.append(r.ordinal() == 0 ? " " : ", ")
                    .append("QAT_")
                    .append(r.name())
                    .append(" = ")
                    .append(r.ordinal());
        }
        b.append(" };\nenum {");
        for (OverflowMode o : OverflowMode.values()) {
            b.append(o.ordinal() == 0 ? " " : ", ")
                    .append("QAT_")
                    .append(o.name())
                    .append(" = ")
                    .append(o.ordinal());
        }
        b.append(" };\n");
        if (quantize || requantize) {
            b.append("""


                /* c: 0 the dropped fraction is zero, 1 below one half, 2 one half (a tie), 3 above one half */
                static int qat_increments(int c, int negative, int floor_odd, int r) {
                    if (c == 0 || r == QAT_TRN) return 0;
                    if (r == QAT_TRN_ZERO) return negative;
                    if (c == 1) return 0;
                    if (c == 3) return 1;
                    switch (r) {
                    case QAT_RND: return 1;
                    case QAT_RND_CONV: return floor_odd;
                    case QAT_RND_ZERO: return negative;
                    case QAT_RND_INF: return !negative;
                    default: return 0;
                    }
                }

                /* R(m / 2^s), exactly, for any s >= 0 */
                static int64_t qat_shr_round(int64_t m, int s, int r) {
                    int64_t fl;
                    int c;
                    if (s == 0 || m == 0) return m;
                    if (s >= 64) {
                        if (m > 0) {
                            fl = 0;
                            c = 1;
                        } else {
                            fl = -1;
                            c = (s == 64 && m == INT64_MIN) ? 2 : 3;
                        }
                    } else {
                        uint64_t rest = (uint64_t) m & (~(uint64_t) 0 >> (64 - s));
                        uint64_t half = (uint64_t) 1 << (s - 1);
                        fl = m >> s;
                        c = rest == 0 ? 0 : rest < half ? 1 : rest == half ? 2 : 3;
                    }
                    return qat_increments(c, fl < 0, (int) (fl & 1), r) ? fl + 1 : fl;
                }

                /* m * 2^s for s > 0: exact when it fits in int64_t; else WRAP keeps it modulo 2^64
                   (every width <= 62 divides that) and SAT saturates by sign (beyond every format) */
                static int64_t qat_scale_up(int64_t m, int s, int o) {
                    uint64_t probe = m < 0 ? ~(uint64_t) m : (uint64_t) m;
                    if (m == 0) return 0;
                    if (s < 63 && (probe >> (63 - s)) == 0) return (int64_t) ((uint64_t) m << s);
                    if (o == QAT_WRAP) return s >= 64 ? 0 : (int64_t) ((uint64_t) m << s);
                    return m > 0 ? INT64_MAX : INT64_MIN;
                }

                /* O(v) into a format of width w (0: pruned), sign bit k, mantissa range [lo, hi] */
                static int64_t qat_overflow(int64_t v, int w, int k, int64_t lo, int64_t hi, int o) {
                    if (w <= 0) return 0;
                    if (o == QAT_WRAP) {
                        uint64_t mask = ~(uint64_t) 0 >> (64 - w);
                        uint64_t u = (uint64_t) v & mask;
                        if (k && (u >> (w - 1)) != 0) u |= ~mask;
                        return (int64_t) u;
                    }
                    return v < lo ? lo : (v > hi ? hi : v);
                }
                """);
        }
        if (requantize) {
            b.append("""

                /* O(R(m * 2^-s)): requantize_fixed with s = inputFrac - f */
                static int64_t qat_requantize(int64_t m, int s, int w, int k, int64_t lo, int64_t hi, int r, int o) {
                    int64_t v = s >= 0 ? qat_shr_round(m, s, r) : qat_scale_up(m, -s, o);
                    return qat_overflow(v, w, k, lo, hi, o);
                }
                """);
        }
        if (quantize) {
            b.append("""

                /* O(R(x * 2^f)) on the exact value of a float32: quantize_fixed */
                static int qat_quantize(float x, int f, int w, int k, int64_t lo, int64_t hi, int r, int o, int64_t *out) {
                    uint32_t b;
                    int64_t m;
                    int e, sh;
                    memcpy(&b, &x, sizeof b);
                    if ((b & 0x7fffffffu) > 0x7f800000u) return QAT_ERROR_NAN;
                    if (w <= 0) {
                        *out = 0;
                        return 0;
                    }
                    if ((b & 0x7fffffffu) == 0x7f800000u) {
                        if (o == QAT_WRAP) return QAT_ERROR_INFINITE_WRAP;
                        *out = (b >> 31) ? lo : hi;
                        return 0;
                    }
                    e = (int) ((b >> 23) & 0xffu);
                    m = (int64_t) (b & 0x7fffffu);
                    if (e == 0) {
                        e = -149;
                    } else {
                        m |= 0x800000;
                        e -= 150;
                    }
                    if (b >> 31) m = -m;
                    sh = e + f;
                    *out = qat_overflow(sh <= 0 ? qat_shr_round(m, -sh, r) : qat_scale_up(m, sh, o), w, k, lo, hi, o);
                    return 0;
                }
                """);
        }
        if (rint) {
            b.append("""

                /* rint (half to even) of a float32 below 2^23 in magnitude, by the exact float32 sums
                   (x + 2^23) - 2^23; larger values are integers already */
                static float qat_rintf(float q) {
                    if (q >= 0x1p23f || q <= -0x1p23f || q != q) return q;
                    return q >= 0.0f ? (q + 0x1p23f) - 0x1p23f : (q - 0x1p23f) + 0x1p23f;
                }

                """);
        }
        return b.toString();
    }
}
