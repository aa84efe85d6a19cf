package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.qat4j.runtime.hardware.HardwareCheck;
import org.qat4j.runtime.hardware.HardwareDescription;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelFormatException;

/** {@code qat verify --hardware FILE}: the model against a hardware description (HAGO, Jiang et al. 2021), one row per accumulating op. */
final class HardwareVerification {
    private HardwareVerification() {}

    /** Prints the table and every problem; true when the model fits the target. */
    static boolean print(IntegerModel model, Path certificate, Path hardware, PrintWriter out) {
        HardwareDescription hw = read(hardware);
        HardwareCheck.Report r;
        try {
            r = HardwareCheck.check(model, Files.readString(certificate), hw);
        } catch (IOException e) {
            throw UserError.input("--certificate " + certificate + ": cannot read: " + ErrorReporter.message(e), e);
        }
        out.println("hardware " + hardware + " (" + hw.name() + "):");
        out.print(r.table());
        for (String p : r.problems()) {
            out.println("  " + p);
        }
        out.println("hardware: "
                + (r.fits() ? "FITS" : "DOES NOT FIT (" + r.problems().size() + " problems)"));
        return r.fits();
    }

    /** Reads a description; a missing or malformed file is exit code 3 naming --hardware, the file and the field. */
    static HardwareDescription read(Path hardware) {
        if (!Files.isRegularFile(hardware)) {
            throw UserError.input(
                    "--hardware " + hardware + ": " + (Files.exists(hardware) ? "not a regular file" : "no such file"),
                    null);
        }
        try {
            return HardwareDescription.read(hardware);
        } catch (IOException e) {
            throw UserError.input("--hardware " + hardware + ": cannot read: " + ErrorReporter.message(e), e);
        } catch (ModelFormatException e) {
            throw UserError.input("--hardware " + e.getMessage(), e);
        }
    }
}
