package org.qat4j.runtime.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FixedFormatTest {

    @Test
    void rejectsInvalidFieldsNamingFieldAndValue() {
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new FixedFormat(2, 0, 0));
        assertTrue(k.getMessage().contains("k") && k.getMessage().contains("2"), k.getMessage());
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class, () -> new FixedFormat(1, 65, 0));
        assertTrue(i.getMessage().contains("FixedFormat.i") && i.getMessage().contains("65"), i.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> new FixedFormat(0, 0, -65));
        assertTrue(f.getMessage().contains("FixedFormat.f") && f.getMessage().contains("-65"), f.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FixedFormat(-1, 0, 0));
    }

    @Test
    void widthAndMantissaRange() {
        FixedFormat s = FixedFormat.signed(3, 4);
        assertEquals(8, s.width());
        assertEquals(127, s.maxMantissa());
        assertEquals(-128, s.minMantissa(OverflowMode.SAT));
        assertEquals(-128, s.minMantissa(OverflowMode.WRAP));
        assertEquals(-127, s.minMantissa(OverflowMode.SAT_SYM));
        FixedFormat u = FixedFormat.unsigned(-2, 5);
        assertEquals(3, u.width());
        assertEquals(7, u.maxMantissa());
        assertEquals(0, u.minMantissa(OverflowMode.SAT));
        assertEquals(0, u.minMantissa(OverflowMode.SAT_SYM));
        assertEquals(0.03125, u.step());
    }

    @Test
    void zeroWidthFormatsHaveOnlyZero() {
        for (FixedFormat z :
                new FixedFormat[] {new FixedFormat(0, 0, 0), new FixedFormat(1, -4, 3), new FixedFormat(0, 5, -7)}) {
            assertTrue(z.isZeroWidth(), z.toString());
            assertEquals(0, z.maxMantissa());
            assertEquals(0, z.minMantissa(OverflowMode.SAT));
        }
        assertFalse(new FixedFormat(1, -3, 3).isZeroWidth());
        assertEquals(0, new FixedFormat(1, -3, 3).maxMantissa());
        assertEquals(-1, new FixedFormat(1, -3, 3).minMantissa(OverflowMode.SAT));
        assertEquals(0, new FixedFormat(1, -3, 3).minMantissa(OverflowMode.SAT_SYM));
    }

    @Test
    void widestLongFormats() {
        FixedFormat s64 = new FixedFormat(1, 40, 23);
        assertEquals(Long.MAX_VALUE, s64.maxMantissa());
        assertEquals(Long.MIN_VALUE, s64.minMantissa(OverflowMode.SAT));
        assertEquals(-Long.MAX_VALUE, s64.minMantissa(OverflowMode.SAT_SYM));
        FixedFormat u63 = new FixedFormat(0, 63, 0);
        assertEquals(Long.MAX_VALUE, u63.maxMantissa());
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> new FixedFormat(0, 60, 4).maxMantissa());
        assertTrue(e.getMessage().contains("2^64"), e.getMessage());
    }

    @Test
    void float32Exactness() {
        assertTrue(new FixedFormat(1, 7, 16).isFloat32Exact());
        assertFalse(new FixedFormat(1, 8, 16).isFloat32Exact());
        assertFalse(new FixedFormat(0, 0, 25).isFloat32Exact());
        assertFalse(new FixedFormat(0, -24, 24).isFloat32Exact());
    }
}
