package org.qat4j.examples.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.qat4j.export.ExportException;

/** A failed synthesis fills its table cell with the first line of the failure, never a guessed cause. */
class HardwareTableTest {

    @Test
    void failureCellIsTheFirstLineOfTheMessage() {
        assertEquals(
                "yosys -q -p synth: did not finish within 60 s",
                HardwareTable.failure(new ExportException("yosys -q -p synth: did not finish within 60 s")));
        assertEquals(
                "yosys exited with 143: a / b",
                HardwareTable.failure(new ExportException("yosys exited with 143: a | b\nmore")));
        assertEquals("failed", HardwareTable.failure(new ExportException("")));
    }
}
