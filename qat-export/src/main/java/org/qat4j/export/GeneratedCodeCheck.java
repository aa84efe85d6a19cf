package org.qat4j.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelReader;

/**
 * {@code qat verify --generated DIR}: the certificate travels with the code. Checks, with the
 * independent certificate checker (never the prover), that
 * <ol>
 *   <li>the certificate holds for the model;</li>
 *   <li>every generated source ({@code *.c}, {@code *.h}, {@code *.v}) names the SHA-256 of exactly this
 *       model file and this certificate file;</li>
 *   <li>every accumulator of the model has a register in the generated code — one per layer
 *       ({@code <op>.acc}, C) or one per channel ({@code <op>.acc[c]}, Verilog) — whose width, read from
 *       its declaration, is at least the proven need; and no register names an unknown layer;</li>
 *   <li>{@code widths.json} states the same registers, declared and needed widths.</li>
 * </ol>
 */
public final class GeneratedCodeCheck {
    private GeneratedCodeCheck() {}

    /** The outcome: the registers read from the code and every problem (empty: verified). */
    public record Result(List<Register> registers, List<String> problems) {
        /** Whether nothing is wrong. */
        public boolean verified() {
            return problems.isEmpty();
        }
    }

    /**
     * Runs every check. Files that cannot be read throw {@link IOException}; a directory without
     * generated sources is a problem.
     */
    public static Result check(Path modelFile, Path certificateFile, Path dir) throws IOException {
        IntegerModel model = ModelReader.read(modelFile);
        String certificate = Files.readString(certificateFile);
        List<String> problems = new ArrayList<>();
        CertifiedWidths widths;
        try {
            widths = CertifiedWidths.check(model, certificate, certificateFile.toString());
        } catch (ExportException e) {
            return new Result(List.of(), List.of(e.getMessage()));
        }
        String modelSha = Sha256.of(modelFile);
        String certSha = Sha256.of(certificateFile);
        Map<String, GeneratedHeader.Declared> declared = new HashMap<>();
        List<Path> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources = s.filter(p -> p.toString().endsWith(".c")
                            || p.toString().endsWith(".h")
                            || p.toString().endsWith(".v"))
                    .sorted()
                    .toList();
        } catch (NoSuchFileException e) {
            throw new ExportException(dir + ": no such directory");
        }
        if (sources.isEmpty()) {
            problems.add(dir + ": no generated sources (*.c, *.h, *.v)");
        }
        for (Path p : sources) {
            String text = Files.readString(p);
            String ms = GeneratedHeader.value(text, GeneratedHeader.MODEL_KEY);
            String cs = GeneratedHeader.value(text, GeneratedHeader.CERTIFICATE_KEY);
            if (!modelSha.equalsIgnoreCase(String.valueOf(ms))) {
                problems.add(p + ": header names model SHA-256 " + ms + ", but " + modelFile + " has " + modelSha);
            }
            if (!certSha.equalsIgnoreCase(String.valueOf(cs))) {
                problems.add(p + ": header names certificate SHA-256 " + cs + ", but " + certificateFile + " has "
                        + certSha);
            }
            boolean verilog = p.toString().endsWith(".v");
            for (GeneratedHeader.Declared d : GeneratedHeader.registers(text, verilog, p.toString(), problems)
                    .values()) {
                if (declared.put(d.name(), d) != null) {
                    problems.add(p + " line " + d.line() + ": register " + d.name() + " is declared in two files");
                }
            }
        }
        List<Register> found = new ArrayList<>();
        for (String layer : widths.layers()) {
            GeneratedHeader.Declared whole = declared.remove(layer + ".acc");
            int[] need = widths.channelBits(layer);
            if (whole != null) {
                found.add(new Register(whole.name(), whole.bits(), widths.layerBits(layer)));
                continue;
            }
            for (int c = 0; c < need.length; c++) {
                GeneratedHeader.Declared d = declared.remove(layer + ".acc[" + c + "]");
                if (d == null) {
                    problems.add("register " + layer + ".acc[" + c + "] (or " + layer
                            + ".acc): not declared in the generated code");
                } else {
                    found.add(new Register(d.name(), d.bits(), need[c]));
                }
            }
        }
        for (GeneratedHeader.Declared extra : declared.values()) {
            problems.add("register " + extra.name() + " (line " + extra.line()
                    + "): no accumulator of the model has this name");
        }
        for (Register r : found) {
            if (r.declaredBits() < r.neededBits()) {
                problems.add("register " + r.name() + " is declared " + r.declaredBits()
                        + " bits wide, the certificate proves it needs " + r.neededBits() + ": it can overflow");
            }
        }
        compareManifest(dir, found, modelSha, certSha, problems);
        return new Result(found, problems);
    }

    private static void compareManifest(
            Path dir, List<Register> found, String modelSha, String certSha, List<String> problems) throws IOException {
        WidthsManifest m;
        try {
            m = WidthsManifest.read(dir);
        } catch (ExportException e) {
            problems.add(e.getMessage());
            return;
        }
        Path file = dir.resolve(WidthsManifest.FILE);
        if (!modelSha.equalsIgnoreCase(m.modelSha256()) || !certSha.equalsIgnoreCase(m.certificateSha256())) {
            problems.add(file + ": SHA-256 of model/certificate differ from the files given");
        }
        Map<String, Register> stated = new HashMap<>();
        m.registers().forEach(r -> stated.put(r.name(), r));
        for (Register r : found) {
            Register s = stated.remove(r.name());
            if (s == null) {
                problems.add(file + ": register " + r.name() + " is missing");
            } else if (!s.equals(r)) {
                problems.add(file + ": register " + r.name() + " states declared " + s.declaredBits() + "/needed "
                        + s.neededBits() + ", the code declares " + r.declaredBits() + " and the certificate proves "
                        + r.neededBits());
            }
        }
        stated.keySet().forEach(n -> problems.add(file + ": register " + n + " is not in the generated code"));
    }
}
