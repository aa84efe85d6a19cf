package org.qat4j.core.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Every format of width at most 8 (k in {0, 1}, -4 &lt;= f &lt;= 8, width -1..8, zero-width included),
 * under every rounding and overflow mode, in float32 and float64: every grid point and every tie from two
 * steps below the range to two steps above it, each with its two float neighbours, plus signed zeros,
 * the smallest subnormals, huge values and (saturating modes) infinities. One NDArray call per
 * (k, f, mode, type) with per-element bit arrays; each element's value is compared bit for bit, and its
 * mantissa ({@link FixedPointOps#quantizeToMantissas}) exactly, with {@code FixedPoint}.
 */
class FixedPointOpsExhaustiveParityTest {

    private static final int MIN_F = -4;
    private static final int MAX_F = 8;
    private static final int MIN_WIDTH = -1;
    private static final int MAX_WIDTH = 8;

    /**
     * Cases per (dtype, rounding, overflow), counted from the enumeration below (260 formats); saturating
     * modes add the two infinities per format. A change must be deliberate.
     */
    private static final int CASES_WRAP = 88_192;

    private static final int CASES_SATURATING = 88_712;
    /** 7 rounding modes x (1 wrapping + 2 saturating) per dtype. */
    private static final long CASES_PER_DTYPE = 7L * (CASES_WRAP + 2L * CASES_SATURATING);

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void float32MatchesThePureJavaPathBitForBit() {
        runAll(DataType.FLOAT32);
    }

    @Test
    void float64MatchesThePureJavaPathBitForBit() {
        runAll(DataType.FLOAT64);
    }

    private static void runAll(DataType type) {
        long total = 0;
        for (RoundingMode r : RoundingMode.values()) {
            for (OverflowMode o : OverflowMode.values()) {
                int perMode = 0;
                for (int k = 0; k <= 1; k++) {
                    for (int f = MIN_F; f <= MAX_F; f++) {
                        ParityCases cases = casesFor(k, f, type, o);
                        perMode += cases.check(manager, type, r, o);
                    }
                }
                int expected = o == OverflowMode.WRAP ? CASES_WRAP : CASES_SATURATING;
                assertEquals(expected, perMode, "case count for " + type + " " + r + " " + o);
                total += perMode;
            }
        }
        assertEquals(CASES_PER_DTYPE, total, "exhaustive cases for " + type);
    }

    private static ParityCases casesFor(int k, int f, DataType type, OverflowMode o) {
        ParityCases cases = new ParityCases();
        for (int width = MIN_WIDTH; width <= MAX_WIDTH; width++) {
            FixedFormat fmt = new FixedFormat(k, width - k - f, f);
            long lo = fmt.isZeroWidth() ? 0 : fmt.minMantissa(OverflowMode.SAT);
            long hi = fmt.isZeroWidth() ? 0 : fmt.maxMantissa();
            double step = Math.scalb(1.0, -f);
            for (long m = lo - 2; m <= hi + 2; m++) {
                addWithNeighbours(cases, m * step, fmt, type);
                addWithNeighbours(cases, (m + 0.5) * step, fmt, type);
            }
            double[] specials = type == DataType.FLOAT32
                    ? new double[] {
                        0.0, -0.0, Float.MIN_VALUE, -Float.MIN_VALUE, 1e30, -1e30, Float.MAX_VALUE, -Float.MAX_VALUE
                    }
                    : new double[] {
                        0.0,
                        -0.0,
                        Double.MIN_VALUE,
                        -Double.MIN_VALUE,
                        1e300,
                        -1e300,
                        Double.MAX_VALUE,
                        -Double.MAX_VALUE
                    };
            for (double s : specials) {
                cases.add(s, fmt);
            }
            if (o != OverflowMode.WRAP) {
                cases.add(Double.POSITIVE_INFINITY, fmt);
                cases.add(Double.NEGATIVE_INFINITY, fmt);
            }
        }
        return cases;
    }

    private static void addWithNeighbours(ParityCases cases, double v, FixedFormat fmt, DataType type) {
        if (type == DataType.FLOAT32) {
            float x = (float) v;
            cases.add(x, fmt);
            cases.add(Math.nextDown(x), fmt);
            cases.add(Math.nextUp(x), fmt);
        } else {
            cases.add(v, fmt);
            cases.add(Math.nextDown(v), fmt);
            cases.add(Math.nextUp(v), fmt);
        }
    }
}
