package org.qat4j.examples.run;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondRunInTheSameDirectoryIsRefusedUntilTheFirstEnds() throws IOException {
        RunDirectory run = RunDirectory.create(dir.resolve("run"));
        try (RunLock first = run.lock()) {
            IOException e = assertThrows(IOException.class, run::lock);
            assertTrue(
                    e.getMessage().contains("in use by another qat process")
                            && e.getMessage()
                                    .contains("pid " + ProcessHandle.current().pid()),
                    e.getMessage());
        }
        try (RunLock again = run.lock()) {
            assertTrue(again != null);
        }
    }
}
