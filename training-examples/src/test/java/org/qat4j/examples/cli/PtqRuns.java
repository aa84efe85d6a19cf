package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the PTQ command tests share: a float twin trained by {@code qat train RECIPE --variant float}, and
 * {@code qat ptq METHOD} runs from it, each through {@link CliCapture}.
 */
final class PtqRuns {

    private PtqRuns() {}

    /**
     * {@code qat train RECIPE --variant float --epochs 1 ARGS --out OUT}; fails the calling test unless it exits 0
     * and prints the float test accuracy.
     *
     * @return {@code out}
     */
    static Path floatRun(String recipe, Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("train", recipe, "--variant", "float", "--epochs", "1"));
        all.addAll(List.of(args));
        all.addAll(List.of("--out", out.toString()));
        CliCapture c = CliCapture.run(all.toArray(String[]::new));
        assertEquals(0, c.code(), c.out() + c.err());
        assertTrue(c.out().contains("Float test accuracy"), c.out());
        return out;
    }

    /** {@code qat ptq METHOD --float-run FLOAT --weight-bits W --act-bits A ARGS --out OUT}. */
    static CliCapture ptq(String method, Path floatRun, int weightBits, int actBits, Path out, String... args) {
        List<String> all = new ArrayList<>(List.of(
                "ptq",
                method,
                "--float-run",
                floatRun.toString(),
                "--weight-bits",
                Integer.toString(weightBits),
                "--act-bits",
                Integer.toString(actBits)));
        all.addAll(List.of(args));
        all.addAll(List.of("--out", out.toString()));
        return CliCapture.run(all.toArray(String[]::new));
    }
}
