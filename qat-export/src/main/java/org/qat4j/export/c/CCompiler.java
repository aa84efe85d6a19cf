package org.qat4j.export.c;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.export.Toolchain;

/** Compiles an exported C model and its driver with gcc ({@link CExporter#FLAGS}) and runs it on input text. */
public final class CCompiler {
    private CCompiler() {}

    /**
     * Compiles {@code dir/<name>.c} and {@code dir/<name>_main.c} into {@code dir/<exe>}.
     *
     * @param extraFlags e.g. {@code -fsanitize=undefined -fno-sanitize-recover=all}
     */
    public static Path compile(Path dir, String name, String exe, List<String> extraFlags) throws IOException {
        Toolchain.require("gcc", "gcc");
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(CExporter.FLAGS);
        cmd.addAll(extraFlags);
        cmd.addAll(List.of("-o", exe, name + ".c", name + "_main.c"));
        Toolchain.runOk(cmd, dir, null, 300);
        return dir.resolve(exe);
    }

    /** Runs a compiled driver on {@code input} (qat predict's input format). */
    public static Toolchain.Result run(Path exe, byte[] input) throws IOException {
        return Toolchain.run(List.of(exe.toAbsolutePath().toString()), exe.getParent(), input, 600);
    }
}
