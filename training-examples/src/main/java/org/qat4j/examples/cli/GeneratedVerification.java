package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.qat4j.export.ExportException;
import org.qat4j.export.GeneratedCodeCheck;
import org.qat4j.export.Register;

/** {@code qat verify --generated DIR}: prints {@link GeneratedCodeCheck}'s registers and problems. */
final class GeneratedVerification {
    private GeneratedVerification() {}

    /**
     * Whether the generated code matches; a missing or unreadable directory is a {@link UserError}
     * ({@link ExitCode#INPUT}).
     */
    static boolean print(Path model, Path certificate, Path dir, PrintWriter out) {
        if (!Files.isDirectory(dir)) {
            throw UserError.input("--generated " + dir + ": no such directory", null);
        }
        GeneratedCodeCheck.Result r;
        try {
            r = GeneratedCodeCheck.check(model, certificate, dir);
        } catch (ExportException | IOException e) {
            throw UserError.input("--generated " + dir + ": " + e.getMessage(), e);
        }
        out.println("generated code " + dir + ": " + r.registers().size() + " registers read from the sources");
        for (Register reg : r.registers()) {
            out.printf(
                    "  %-28s declared %2d bits, certificate needs %2d  %s%n",
                    reg.name(),
                    reg.declaredBits(),
                    reg.neededBits(),
                    reg.declaredBits() >= reg.neededBits() ? "ok" : "TOO NARROW");
        }
        r.problems().forEach(p -> out.println("problem: " + p));
        out.println("generated code: "
                + (r.verified()
                        ? "MATCHES the model and certificate"
                        : "REJECTED (" + r.problems().size() + " problems)"));
        return r.verified();
    }
}
