package org.qat4j.export.verilog;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.qat4j.export.ExportException;
import org.qat4j.export.PredictionFormat;
import org.qat4j.export.ScratchDirectory;
import org.qat4j.export.Toolchain;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;

/**
 * Runs exported Verilog with Icarus Verilog ({@code iverilog -g2005}, {@code vvp}) or Verilator on float inputs: the
 * inputs are quantized by the model's own input op (the Java runtime), packed into the module's input
 * word, simulated with {@code tb.v}, and the output words unpacked (sign-extended per element) and
 * converted as the model's final {@code dequantize_fixed} defines, {@code (float)(m · 2^-frac)} — then
 * printed in {@code qat predict}'s format ({@link PredictionFormat}).
 */
public final class VerilogSimulator {
    private VerilogSimulator() {}

    /** The port layout written by the exporter. */
    public static VerilogExporter.Ports ports(Path dir) throws IOException {
        Path f = dir.resolve("ports.json");
        try {
            VerilogExporter.Ports p = new Gson().fromJson(Files.readString(f), VerilogExporter.Ports.class);
            if (p == null || p.module() == null || p.inputWidths() == null || p.outputWidths() == null) {
                throw new ExportException(f + ": not a port layout written by qat export-verilog");
            }
            return p;
        } catch (NoSuchFileException e) {
            throw new ExportException(f + ": no such file (qat export-verilog writes it)");
        } catch (JsonParseException e) {
            throw new ExportException(f + ": not valid JSON: " + e.getMessage());
        }
    }

    /** The simulators the testbench runs on. */
    public enum Simulator {
        /** Icarus Verilog: {@code iverilog -g2005} then {@code vvp}; compiles in seconds, simulates events one by one. */
        ICARUS,
        /** Verilator 5 ({@code --binary}): compiles to C++ first (slower to build), then simulates much faster. */
        VERILATOR
    }

    /** Simulates {@code inputs} (sample-major floats) with Icarus Verilog and returns the output text. */
    public static byte[] run(Path dir, IntegerModel model, float[] inputs) throws IOException {
        return run(dir, model, inputs, Simulator.ICARUS);
    }

    /** Simulates {@code inputs} (sample-major floats) and returns the output text. */
    public static byte[] run(Path dir, IntegerModel model, float[] inputs, Simulator simulator) throws IOException {
        if (simulator == Simulator.ICARUS) {
            Toolchain.require("iverilog", "iverilog");
        } else {
            Toolchain.require("verilator", "verilator");
        }
        VerilogExporter.Ports p = ports(dir);
        ModelOp q = model.ops().get(0);
        IntegerModel quantizer = IntegerModel.builder()
                .setProvenance(model.provenance())
                .setInput(model.inputName(), model.inputShape())
                .addOp(q)
                .setOutput(q.name())
                .build();
        int n = model.tensor(model.inputName()).numel();
        int samples = inputs.length / n;
        long[] m =
                samples == 0 ? new long[0] : IntegerRuntime.compile(quantizer).runInt(inputs, samples);
        if (n != p.inputWidths().length) {
            throw new ExportException(
                    dir.resolve("ports.json") + ": " + p.inputWidths().length + " input elements, the model has " + n);
        }
        StringBuilder hex = new StringBuilder();
        for (int s = 0; s < samples; s++) {
            BigInteger word = BigInteger.ZERO;
            int off = 0;
            for (int e = 0; e < n; e++) {
                int w = p.inputWidths()[e];
                if (w == 0) {
                    continue;
                }
                BigInteger v = BigInteger.valueOf(m[s * n + e])
                        .and(BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE));
                word = word.or(v.shiftLeft(off));
                off += w;
            }
            hex.append(word.toString(16)).append('\n');
        }
        try (ScratchDirectory scratch = ScratchDirectory.create(
                "qat-simulate-verilog",
                Map.of(
                        p.module() + ".v",
                        Files.readAllBytes(dir.resolve(p.module() + ".v")),
                        "tb.v",
                        Files.readAllBytes(dir.resolve("tb.v")),
                        "in.hex",
                        hex.toString().getBytes(StandardCharsets.US_ASCII)))) {
            Path build = scratch.path();
            if (simulator == Simulator.ICARUS) {
                Toolchain.runOk(
                        List.of("iverilog", "-g2005", "-o", "sim", "tb.v", p.module() + ".v"), build, null, 1800);
                Toolchain.runOk(List.of("vvp", "-n", "sim", "+in=in.hex", "+out=out.hex"), build, null, 3600);
            } else {
                Toolchain.runOk(
                        List.of(
                                "verilator",
                                "--binary",
                                "-Wno-fatal",
                                "--top-module",
                                "tb",
                                "-o",
                                "simv",
                                "tb.v",
                                p.module() + ".v"),
                        build,
                        null,
                        3600);
                Toolchain.runOk(
                        List.of(build.resolve("obj_dir").resolve("simv").toString(), "+in=in.hex", "+out=out.hex"),
                        build,
                        null,
                        3600);
            }
            List<String> lines = Files.readAllLines(build.resolve("out.hex"));
            if (lines.size() != samples) {
                throw new ExportException(
                        "the simulation wrote " + lines.size() + " output words for " + samples + " samples");
            }
            return unpack(p, lines);
        }
    }

    private static byte[] unpack(VerilogExporter.Ports p, List<String> lines) {
        int k = p.outputWidths().length;
        boolean floats = "float".equals(p.outputKind());
        StringBuilder out = new StringBuilder();
        long[] ints = new long[k];
        float[] fl = new float[k];
        for (int s = 0; s < lines.size(); s++) {
            String l = lines.get(s).strip();
            if (!l.matches("[0-9a-fA-F]+")) {
                throw new ExportException(
                        "sample " + (s + 1) + ": the simulated output word '" + l + "' has undriven (x/z) bits");
            }
            BigInteger word = new BigInteger(l, 16);
            int off = 0;
            for (int e = 0; e < k; e++) {
                int w = p.outputWidths()[e];
                BigInteger bits =
                        word.shiftRight(off).and(BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE));
                if (bits.testBit(w - 1)) {
                    bits = bits.subtract(BigInteger.ONE.shiftLeft(w));
                }
                ints[e] = bits.longValueExact();
                off += w;
                if (floats) {
                    // dequantize_fixed (docs/format.md): exact in double for |m| <= 2^53, one rounding to float32
                    if (Math.abs(ints[e]) > (1L << 53)) {
                        throw new ExportException(
                                "sample " + (s + 1) + " output " + e + ": mantissa " + ints[e] + " exceeds 2^53");
                    }
                    fl[e] = (float) Math.scalb((double) ints[e], -p.outputFrac()[e]);
                }
            }
            out.append(floats ? PredictionFormat.line(fl, 0, k) : PredictionFormat.line(ints, 0, k))
                    .append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
