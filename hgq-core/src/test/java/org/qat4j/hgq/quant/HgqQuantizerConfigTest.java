package org.qat4j.hgq.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.qat4j.core.fixed.FakeQuantizeOptions;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/** An HGQ configuration holds the training quantizer's options: rounding, overflow, trainable integer bits. */
class HgqQuantizerConfigTest {

    @Test
    void fakeQuantizeOptionsCarryRoundingOverflowAndTrainableIntegerBits() {
        HgqQuantizerConfig trained = HgqQuantizerConfig.activations()
                .optIntegerBits(IntegerBitsMode.TRAINABLE)
                .optRounding(RoundingMode.TRN)
                .optOverflow(OverflowMode.SAT_SYM)
                .build();
        assertEquals(
                new FakeQuantizeOptions(RoundingMode.TRN, OverflowMode.SAT_SYM, false, true),
                trained.fakeQuantizeOptions());
        HgqQuantizerConfig fromData = HgqQuantizerConfig.weights().build();
        assertEquals(
                new FakeQuantizeOptions(fromData.rounding(), fromData.overflow(), false, false),
                fromData.fakeQuantizeOptions());
    }
}
