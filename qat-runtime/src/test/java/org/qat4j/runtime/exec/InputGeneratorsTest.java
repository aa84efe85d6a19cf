package org.qat4j.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.TestModels;

/**
 * The adversarial inputs of the bit-exactness checks reach, for every input element, what their Javadoc
 * promises: both extreme codes of the element's format, values beyond them (saturation), and exact
 * rounding ties {@code (m + ½)·step}; random inputs spread over the format's range.
 */
class InputGeneratorsTest {

    @Test
    void adversarialInputsHitExtremesTiesAndOverflowOfEveryElement() {
        for (long seed = 1; seed <= 4; seed++) {
            IntegerModel m = TestModels.mlpFixed(seed, 12, 5, 3);
            QuantizeFixedOp q = (QuantizeFixedOp) m.op("q0");
            FixedFormat[] formats = q.formats().expand(m.inputShape(), "input");
            InputGenerators gen = InputGenerators.of(m);
            assertEquals(12, gen.inputSize());
            int samples = 4000;
            float[] x = gen.adversarial(new Random(seed), samples);
            for (int e = 0; e < 12; e++) {
                FixedFormat f = formats[e];
                if (f.width() <= 0) {
                    continue;
                }
                double step = Math.scalb(1.0, -f.f());
                long lo = f.minMantissa(q.overflow());
                long hi = f.maxMantissa();
                boolean sawLo = false;
                boolean sawHi = false;
                boolean sawAbove = false;
                boolean sawBelow = false;
                boolean sawTie = false;
                for (int s = 0; s < samples; s++) {
                    double y = x[s * 12 + e] / step; // exact: a power-of-two scaling of a float
                    sawLo |= y == lo;
                    sawHi |= y == hi;
                    sawAbove |= y >= hi + 1;
                    sawBelow |= y <= lo - 1;
                    sawTie |= y - Math.floor(y) == 0.5;
                }
                String where = "seed " + seed + " element " + e + " format " + f;
                assertTrue(sawLo && sawHi, "extreme codes " + lo + " and " + hi + ": " + where);
                assertTrue(sawAbove && sawBelow, "values beyond the range: " + where);
                assertTrue(sawTie, "an exact rounding tie: " + where);
                assertTrue(gen.candidateCount(e) >= 21, where);
            }
        }
    }

    @Test
    void randomInputsSpreadOverTheRange() {
        IntegerModel m = TestModels.mlpFixed(7, 12, 5, 3);
        float[] x = InputGenerators.of(m).random(new Random(7), 500);
        assertEquals(500 * 12, x.length);
        long distinct = java.util.stream.IntStream.range(0, x.length)
                .mapToObj(i -> x[i])
                .distinct()
                .count();
        assertTrue(distinct > 5000, "random inputs are not a handful of values: " + distinct);
    }
}
