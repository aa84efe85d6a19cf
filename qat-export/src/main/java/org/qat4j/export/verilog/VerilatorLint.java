package org.qat4j.export.verilog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.qat4j.export.ScratchDirectory;
import org.qat4j.export.Toolchain;

/**
 * {@code verilator --lint-only -Wall} on an exported module (in a temporary copy; DIR is only read). The
 * generator writes every operand at the width it is used at and sinks intentionally unused signals with
 * Verilator's idiom, so a clean export prints nothing; any warning (a width mismatch, an undriven or
 * unused signal, a hand edit) is returned as Verilator printed it.
 */
public final class VerilatorLint {
    private VerilatorLint() {}

    /** The lint messages ({@code %Warning-…}/{@code %Error…} lines) for {@code dir/<module>.v}; empty when clean. */
    public static List<String> run(Path dir, String module, long timeoutSeconds) throws IOException {
        Toolchain.require("verilator", "verilator");
        try (ScratchDirectory scratch = ScratchDirectory.create(
                "qat-verilator-lint", Map.of(module + ".v", Files.readAllBytes(dir.resolve(module + ".v"))))) {
            Toolchain.Result r = Toolchain.run(
                    List.of("verilator", "--lint-only", "-Wall", "--top-module", module, module + ".v"),
                    scratch.path(),
                    null,
                    timeoutSeconds);
            List<String> messages =
                    r.stderr().lines().filter(l -> l.startsWith("%")).toList();
            if (r.exitCode() != 0 && messages.isEmpty()) {
                return List.of("verilator exited with " + r.exitCode() + ": "
                        + r.stderr().strip());
            }
            return messages;
        }
    }
}
