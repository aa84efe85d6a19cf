package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmokeCommandTest {

    @Test
    void smokeRunsOfflineAndFindsNoMismatch() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = QatCommand.commandLine().execute("smoke", "--count", "3000", "--seed", "7");
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("offline=true"), text);
        assertTrue(text.contains("quantized 3000 values") && text.contains(": 0 mismatches"), text);
    }

    @Test
    void badCountIsRefusedWithTheOptionName() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = QatCommand.commandLine().execute("smoke", "--count", "0");
        } finally {
            System.setErr(original);
        }
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--count must be >= 1, got 0"));
    }
}
