package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/** Every benchmark {@code qat bench} names is on the CLI's class path with a {@code main(String[])}. */
class BenchClassesTest {
    @Test
    void everyNamedBenchmarkClassIsInTheBuild() {
        BenchCommand.BENCHMARKS.forEach((name, cls) -> assertDoesNotThrow(
                () -> Class.forName(cls).getMethod("main", String[].class), "qat bench " + name + ": " + cls));
    }
}
