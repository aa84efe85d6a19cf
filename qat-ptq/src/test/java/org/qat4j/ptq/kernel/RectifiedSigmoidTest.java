package org.qat4j.ptq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RectifiedSigmoidTest {

    @Test
    void inverseRestoresTheFraction() {
        for (int i = 0; i < 100; i++) {
            double frac = i / 100.0;
            assertEquals(frac, RectifiedSigmoid.h(RectifiedSigmoid.inverse(frac)), 1e-12);
        }
    }

    @Test
    void rectifiedEndsReachZeroAndOne() {
        assertEquals(0, RectifiedSigmoid.h(-10));
        assertEquals(1, RectifiedSigmoid.h(10));
        assertEquals(0.5, RectifiedSigmoid.h(0), 1e-15);
        assertEquals(1, RectifiedSigmoid.hard(0));
        assertEquals(0, RectifiedSigmoid.hard(-1e-9));
    }

    @Test
    void regularizerVanishesAtHardDecisions() {
        assertEquals(0, RectifiedSigmoid.regularizer(10, 2), 0);
        assertEquals(1, RectifiedSigmoid.regularizer(0, 20), 0);
    }

    @Test
    void betaWarmsUpThenFallsLinearly() {
        assertTrue(Double.isNaN(RectifiedSigmoid.annealedBeta(0, 100, 0.2, 20, 2)));
        assertTrue(Double.isNaN(RectifiedSigmoid.annealedBeta(19, 100, 0.2, 20, 2)));
        assertEquals(20, RectifiedSigmoid.annealedBeta(20, 100, 0.2, 20, 2), 1e-12);
        assertEquals(2, RectifiedSigmoid.annealedBeta(99, 100, 0.2, 20, 2), 1e-12);
    }
}
