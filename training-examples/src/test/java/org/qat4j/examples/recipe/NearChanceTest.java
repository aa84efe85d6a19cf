package org.qat4j.examples.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.qat4j.examples.run.RunMetrics;

class NearChanceTest {

    @Test
    void chanceLevelIsSaidPlainlyAndRecorded() {
        RunMetrics m = new RunMetrics("a2q-fashion-cnn").setIntegerTestAccuracy(0.1);
        String warning = NearChance.check(m, 10);
        assertTrue(
                warning.startsWith(
                        "warning: test accuracy 10.00% is within 2 points of chance (10.00% for 10 " + "classes)"),
                warning);
        assertEquals(Boolean.TRUE, m.getExtra().get("nearChance"));
        assertTrue(NearChance.check(new RunMetrics("x").setIntegerTestAccuracy(0.12), 10) != null, "12% is 2 points");
    }

    @Test
    void aTrainedNetworkIsNotWarnedAbout() {
        RunMetrics m = new RunMetrics("hgq-fashion-mlp").setIntegerTestAccuracy(0.8721);
        assertNull(NearChance.check(m, 10));
        assertEquals(Boolean.FALSE, m.getExtra().get("nearChance"));
        assertNull(NearChance.check(new RunMetrics("x").setIntegerTestAccuracy(0.1201), 10));
    }
}
