package org.qat4j.core.train.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.qat4j.core.train.schedule.PiecewiseBetaSchedule.Interpolation;

class PiecewiseBetaScheduleTest {

    @Test
    void linearAndLogSegmentsInterpolateAndHoldOutside() {
        PiecewiseBetaSchedule s = PiecewiseBetaSchedule.builder()
                .addPoint(2, 1e-6, Interpolation.LOG)
                .addPoint(6, 1e-2, Interpolation.LINEAR)
                .addPoint(10, 0, Interpolation.CONSTANT)
                .build();
        assertEquals(1e-6, s.beta(0));
        assertEquals(1e-6, s.beta(2));
        assertEquals(1e-5, s.beta(3), 1e-18);
        assertEquals(1e-4, s.beta(4), 1e-17);
        assertEquals(1e-2, s.beta(6), 1e-15);
        assertEquals(0.005, s.beta(8), 1e-15);
        assertEquals(0, s.beta(10));
        assertEquals(0, s.beta(100));
    }

    @Property
    void logRampStaysBetweenItsEndsAndIsMonotone(@ForAll @IntRange(min = 0, max = 60) int epoch) {
        PiecewiseBetaSchedule s = PiecewiseBetaSchedule.logRamp(5, 1e-7, 45, 1e-3);
        double b = s.beta(epoch);
        assertTrue(b >= 1e-7 * (1 - 1e-12) && b <= 1e-3 * (1 + 1e-12), "beta " + b);
        assertTrue(s.beta(epoch + 1) >= b * (1 - 1e-12));
    }

    @Test
    void badPointsAreRefusedWithTheirValues() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> PiecewiseBetaSchedule.builder()
                        .addPoint(3, 1e-5, Interpolation.LINEAR)
                        .addPoint(3, 1e-4, Interpolation.LINEAR));
        assertTrue(e.getMessage().contains("epoch 3"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> PiecewiseBetaSchedule.builder().addPoint(0, -1, Interpolation.LINEAR));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> PiecewiseBetaSchedule.builder()
                        .addPoint(0, 0, Interpolation.LOG)
                        .addPoint(4, 1e-3, Interpolation.CONSTANT)
                        .build());
        assertTrue(e.getMessage().contains("LOG"), e.getMessage());
    }

    @Test
    void hookSetsBetaOnEveryTargetBeforeTheEpoch() {
        Target a = new Target();
        Target b = new Target();
        BetaScheduleHook hook = new BetaScheduleHook(PiecewiseBetaSchedule.logRamp(0, 1e-6, 2, 1e-4), List.of(a, b));
        hook.beforeEpoch(1);
        assertEquals(1e-5, a.beta, 1e-18);
        assertEquals(1e-5, b.beta, 1e-18);
    }

    static final class Target implements BetaTarget {
        double beta;

        @Override
        public void setBeta(double beta) {
            this.beta = beta;
        }

        @Override
        public double getBeta() {
            return beta;
        }
    }
}
