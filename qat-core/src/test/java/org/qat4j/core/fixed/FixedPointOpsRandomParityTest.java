package org.qat4j.core.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Random (x, format) cases, a different format in every element of one call, compared bit for bit with
 * {@code FixedPoint}: formats up to the supported limits (|i|, |f| &lt;= 64, width &lt;= 53), bit values
 * with fractional parts that round half up, and x near grid points, at ties and their float neighbours,
 * from random bit patterns, and subnormal.
 */
class FixedPointOpsRandomParityTest {

    private static final int CASES_PER_CALL = 2_500;
    /** 2 dtypes x 7 rounding x 3 overflow modes, one call each. */
    private static final int EXPECTED_SEEDED_CASES = 2 * 7 * 3 * CASES_PER_CALL;

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
    void seededRandomCasesMatchBitForBit() {
        Random random = new Random(20_240_519L);
        int total = 0;
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            for (RoundingMode r : RoundingMode.values()) {
                for (OverflowMode o : OverflowMode.values()) {
                    ParityCases cases = new ParityCases();
                    while (cases.size() < CASES_PER_CALL) {
                        addRandomCase(cases, random, type, o);
                    }
                    total += cases.check(manager, type, r, o);
                }
            }
        }
        assertEquals(105_000, EXPECTED_SEEDED_CASES);
        assertEquals(EXPECTED_SEEDED_CASES, total);
    }

    /** 500 tries x 20 elements = 10,000 further cases, with shrinking on failure. */
    @Property(tries = 500)
    void arbitraryBatchesMatchBitForBit(
            @ForAll long seed,
            @ForAll @IntRange(max = 6) int roundingIndex,
            @ForAll @IntRange(max = 2) int overflowIndex,
            @ForAll boolean float64) {
        Random random = new Random(seed);
        RoundingMode r = RoundingMode.values()[roundingIndex];
        OverflowMode o = OverflowMode.values()[overflowIndex];
        DataType type = float64 ? DataType.FLOAT64 : DataType.FLOAT32;
        ParityCases cases = new ParityCases();
        while (cases.size() < 20) {
            addRandomCase(cases, random, type, o);
        }
        // jqwik runs outside JUnit's @BeforeAll/@AfterAll lifecycle: a manager per try
        try (NDManager own = NDManager.newBaseManager()) {
            assertEquals(20, cases.check(own, type, r, o));
        }
    }

    private static void addRandomCase(ParityCases cases, Random random, DataType type, OverflowMode o) {
        FixedFormat fmt = randomFormat(random);
        double x = randomX(random, fmt, type);
        if (o == OverflowMode.WRAP && Double.isInfinite(x)) {
            return;
        }
        if (type == DataType.FLOAT32) {
            x = (float) x;
        }
        // raw bit values that round half up to the format: b - 1/2, b, b + 1/4, b + 0.4999
        double[] offsets = {-0.5, 0.0, 0.25, 0.4999, -0.25};
        double k = fmt.k() + (random.nextInt(4) == 0 ? offsets[random.nextInt(offsets.length)] : 0.0);
        double i = fmt.i() + offsets[random.nextInt(offsets.length)];
        double f = fmt.f() + offsets[random.nextInt(offsets.length)];
        cases.add(x, fmt, k, i, f);
    }

    private static FixedFormat randomFormat(Random random) {
        int k = random.nextInt(2);
        if (random.nextInt(10) == 0) {
            // anywhere in the supported range, zero-width included
            int f = random.nextInt(129) - 64;
            int maxI = Math.min(64, 53 - k - f);
            int i = -64 + random.nextInt(maxI + 65);
            return new FixedFormat(k, i, f);
        }
        int f = random.nextInt(49) - 24;
        int i = random.nextInt(47) - 23;
        return new FixedFormat(k, i, f);
    }

    private static double randomX(Random random, FixedFormat fmt, DataType type) {
        double step = fmt.step();
        long span = fmt.isZeroWidth() ? 4 : Math.min(1L << 40, Math.max(4, fmt.maxMantissa()));
        switch (random.nextInt(6)) {
            case 0: { // a grid point or a tie, in or a little outside the range
                long m = (long) ((random.nextDouble() * 2.4 - 1.2) * span);
                double v = (m + (random.nextBoolean() ? 0.5 : 0.0)) * step;
                return neighbour(random, v, type);
            }
            case 1: // uniform over about the range
                return (random.nextDouble() * 2.4 - 1.2) * span * step;
            case 2: { // any finite float or double
                if (type == DataType.FLOAT32) {
                    float v;
                    do {
                        v = Float.intBitsToFloat(random.nextInt());
                    } while (Float.isNaN(v));
                    return v;
                }
                double v;
                do {
                    v = Double.longBitsToDouble(random.nextLong());
                } while (Double.isNaN(v));
                return v;
            }
            case 3: // subnormal or tiny
                return type == DataType.FLOAT32
                        ? Float.MIN_VALUE * (random.nextInt(2001) - 1000)
                        : Double.MIN_VALUE * (random.nextInt(2001) - 1000);
            case 4: // near the clip bounds
                return neighbour(random, random.nextBoolean() ? (span - 0.5) * step : -(span + 0.5) * step, type);
            default: // small values around zero, on and off the grid
                return neighbour(random, (random.nextInt(9) - 4) * 0.5 * step, type);
        }
    }

    private static double neighbour(Random random, double v, DataType type) {
        int which = random.nextInt(3);
        if (type == DataType.FLOAT32) {
            float x = (float) v;
            return which == 0 ? x : which == 1 ? Math.nextDown(x) : Math.nextUp(x);
        }
        return which == 0 ? v : which == 1 ? Math.nextDown(v) : Math.nextUp(v);
    }
}
