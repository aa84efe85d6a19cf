package org.qat4j.export;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.qat4j.runtime.io.AtomicFiles;

/**
 * {@code widths.json}, written next to every export: which model and certificate (SHA-256 of the
 * files) the code was generated from, and every register with its declared and its proven width.
 * {@code qat verify --generated} re-derives the same facts from the generated code itself and the
 * checked certificate and requires this file to agree.
 *
 * @param format always {@value #FORMAT}
 * @param target {@code c} or {@code verilog}
 * @param modelSha256 SHA-256 of the model file
 * @param certificateSha256 SHA-256 of the certificate file
 * @param registers every accumulator register, model order
 */
public record WidthsManifest(
        String format, String target, String modelSha256, String certificateSha256, List<Register> registers) {
    /** The {@code format} word. */
    public static final String FORMAT = "qat4j-register-widths";
    /** The file name inside an export directory. */
    public static final String FILE = "widths.json";

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** A manifest for {@code target}. */
    public static WidthsManifest of(
            String target, String modelSha256, String certificateSha256, List<Register> registers) {
        return new WidthsManifest(FORMAT, target, modelSha256, certificateSha256, List.copyOf(registers));
    }

    /** The JSON text. */
    public String toJson() {
        return GSON.toJson(this) + "\n";
    }

    /** Writes {@code dir/widths.json} atomically. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE), toJson());
    }

    /** Reads {@code dir/widths.json}. */
    public static WidthsManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ExportException(file + ": no such file (every export writes one)");
        }
        WidthsManifest m;
        try {
            m = GSON.fromJson(text, WidthsManifest.class);
        } catch (JsonParseException e) {
            throw new ExportException(file + ": not valid JSON: " + e.getMessage());
        }
        if (m == null || !FORMAT.equals(m.format()) || m.registers() == null) {
            throw new ExportException(file + ": $.format is not '" + FORMAT + "' or $.registers is missing");
        }
        return m;
    }
}
