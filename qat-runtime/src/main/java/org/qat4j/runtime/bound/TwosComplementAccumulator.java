package org.qat4j.runtime.bound;

/**
 * A simulated P-bit two's-complement accumulator register, for the empirical overflow check that stands beside
 * the proof (feed a layer its worst-case inputs and confirm no wrap). Each {@link #add} wraps the register the way
 * hardware does and counts the wraps; {@link #wrapped()} tells whether any partial sum left
 * {@code [−2^(P−1), 2^(P−1) − 1]}.
 */
public final class TwosComplementAccumulator {

    private final int bits;
    private long value;
    private long wraps;

    /** A register of {@code bits} ∈ [1, 64] bits, initially zero. */
    public TwosComplementAccumulator(int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("bits must be in [1, 64], got " + bits);
        }
        this.bits = bits;
    }

    /** Adds {@code term} (itself must fit in the register's width; wider terms are wrapped first). */
    public void add(long term) {
        long t = wrap(term);
        if (t != term) {
            wraps++;
        }
        if (bits == 64) {
            long r = value + t;
            if (((value ^ r) & (t ^ r)) < 0) {
                wraps++;
            }
            value = r;
            return;
        }
        long exact = value + t; // both in [−2^62, 2^62) when bits ≤ 63: no long overflow
        long w = wrap(exact);
        if (w != exact) {
            wraps++;
        }
        value = w;
    }

    /** The register's current (wrapped) contents. */
    public long value() {
        return value;
    }

    /** True if any addition left the register's range. */
    public boolean wrapped() {
        return wraps > 0;
    }

    /** Number of additions that wrapped. */
    public long wrapCount() {
        return wraps;
    }

    private long wrap(long x) {
        if (bits == 64) {
            return x;
        }
        int s = 64 - bits;
        return (x << s) >> s;
    }
}
