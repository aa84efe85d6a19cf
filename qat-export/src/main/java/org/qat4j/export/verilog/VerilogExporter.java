package org.qat4j.export.verilog;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.ExportException;
import org.qat4j.export.GeneratedHeader;
import org.qat4j.export.Register;
import org.qat4j.export.WidthsManifest;
import org.qat4j.runtime.fixed.FixedFormat;
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.QuantizeFixedOp;

/**
 * Synthesizable Verilog-2005 from a fixed-point (HGQ, arXiv 2405.00645) integer model: module
 * {@code <name>} with one flat input port carrying the input quantizer's mantissas (element e in its
 * format's width, pruned elements absent) and one flat output port carrying the mantissas the final
 * {@code dequantize_fixed} converts (each element as a signed field of its accumulator's width); the
 * float input quantizer and the final float conversion stay outside, exactly as the runtime defines them.
 * {@code pipeline = N > 0} registers every N-th activation quantizer's outputs (latency = number of
 * register stages, one result per clock). Also writes {@code tb.v} (reads hex input words, writes hex
 * output words), {@code ports.json} (the port layout {@link VerilogSimulator} packs and unpacks) and
 * {@code widths.json}. Models with float32 scales (A2Q/A2Q+) are refused, naming the op.
 */
public final class VerilogExporter {
    private VerilogExporter() {}

    /** The port layout of a generated module. */
    public record Ports(
            String module,
            int[] inputWidths,
            int[] inputSigned,
            int[] outputWidths,
            int[] outputFrac,
            int latency,
            String outputKind) {
        /** Total input bits. */
        public int inputBits() {
            return java.util.Arrays.stream(inputWidths).sum();
        }

        /** Total output bits. */
        public int outputBits() {
            return java.util.Arrays.stream(outputWidths).sum();
        }
    }

    /** Generated files and their registers. */
    public record Generated(Map<String, String> files, List<Register> registers, Ports ports) {}

    /** Generates the module, testbench and port layout. */
    public static Generated generate(
            IntegerModel model,
            CertifiedWidths widths,
            String name,
            int pipeline,
            String modelFile,
            String modelSha,
            String certificateSha) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ExportException("--name '" + name + "': not a Verilog identifier");
        }
        if (pipeline < 0) {
            throw new ExportException("--pipeline " + pipeline + ": must be >= 0");
        }
        List<ModelOp> ops = model.ops();
        if (!(ops.get(0) instanceof QuantizeFixedOp q0)
                || !ops.get(0).inputs().get(0).equals(model.inputName())) {
            throw new ExportException(
                    "op '" + ops.get(0).name() + "' (" + ops.get(0).opType() + "): the Verilog export needs a "
                            + "fixed-point model whose first op is the input's quantize_fixed");
        }
        for (int n = 1; n < ops.size(); n++) {
            if (ops.get(n).inputs().contains(model.inputName())) {
                throw new ExportException(
                        "op '" + ops.get(n).name() + "' reads the float input directly: no Verilog export");
            }
        }
        ModelOp last = ops.get(ops.size() - 1);
        boolean dequantized = last instanceof DequantizeFixedOp && last.name().equals(model.outputName());
        int end = dequantized ? ops.size() - 1 : ops.size();
        for (int n = 1; n < end; n++) {
            ModelOp op = ops.get(n);
            if (op instanceof DequantizeFixedOp
                    || op.opType().contains("scaled")
                    || op.opType().endsWith("_float")) {
                throw new ExportException("op '" + op.name() + "' (" + op.opType() + ") computes in float32"
                        + (op.opType().contains("scaled") || op.opType().endsWith("_float")
                                ? " with float32 scales (A2Q/A2Q+)"
                                : "")
                        + ": Verilog is generated for fixed-point (HGQ) models only");
            }
        }
        VerilogWriter w = new VerilogWriter(model, widths, pipeline);
        // input port: the input quantizer's mantissas
        FixedFormat[] in = q0.formats().expand(model.tensor(q0.name()).shape(), q0.name());
        int[] inW = new int[in.length];
        int[] inS = new int[in.length];
        Sig[] inSigs = new Sig[in.length];
        StringBuilder inDecl = new StringBuilder();
        int off = 0;
        for (int e = 0; e < in.length; e++) {
            inW[e] = Math.max(0, in[e].width());
            inS[e] = in[e].k();
            if (inW[e] == 0) {
                inSigs[e] = Sig.ZERO;
                continue;
            }
            int sw = inW[e] + (inS[e] == 1 ? 0 : 1);
            String bits = "x[" + (off + inW[e] - 1) + ":" + off + "]";
            inDecl.append("    wire signed [")
                    .append(sw - 1)
                    .append(":0] x_")
                    .append(e)
                    .append(" = $signed({")
                    .append(inS[e] == 1 ? "" : "1'b0, ")
                    .append(bits)
                    .append("});\n");
            inSigs[e] = new Sig("x_" + e, sw, inS[e] == 0);
            off += inW[e];
        }
        w.define(q0.name(), inSigs);
        for (int n = 1; n < end; n++) {
            w.write(n, ops.get(n));
        }
        String resultName = dequantized ? last.inputs().get(0) : model.outputName();
        Sig[] result = w.tensor(resultName);
        int[] outW = new int[result.length];
        StringBuilder outAssign = new StringBuilder("    assign y = {");
        for (int e = result.length - 1; e >= 0; e--) {
            outW[e] = result[e].width();
            outAssign.append(result[e].zero() ? "1'b0" : result[e].ref()).append(e > 0 ? ", " : "");
        }
        outAssign.append("};\n");
        int[] frac = dequantized
                ? org.qat4j.runtime.model.Granularity.expand(
                        ((DequantizeFixedOp) last).frac(),
                        model.tensor(resultName).shape(),
                        last.name() + ".frac")
                : new int[0];
        Ports ports = new Ports(name, inW, inS, outW, frac, w.latency(), dequantized ? "float" : "int");

        List<String> header = new ArrayList<>(GeneratedHeader.lines(
                name + ": Verilog-2005, fully parallel integer datapath", modelFile, modelSha, certificateSha));
        header.add(
                "x: input quantizer mantissas, element 0 in the low bits; y: output mantissas, element 0 in the low bits.");
        header.add("Latency " + w.latency() + " clock cycles"
                + (pipeline > 0
                        ? " (a register stage after every " + pipeline + " activation quantizers)"
                        : " (combinational)")
                + ".");
        StringBuilder v = new StringBuilder(
                GeneratedHeader.comment(header).replace("/*\n", "/*\n").replace(" */\n", " */\n"));
        v.append("`default_nettype none\nmodule ").append(name).append(" (\n");
        if (pipeline > 0) {
            v.append("    input wire clk,\n");
        }
        v.append("    input wire [")
                .append(Math.max(1, ports.inputBits()) - 1)
                .append(":0] x,\n    output wire [")
                .append(ports.outputBits() - 1)
                .append(":0] y\n);\n")
                .append(inDecl)
                .append(w.body())
                .append('\n')
                .append(outAssign)
                .append(UnusedSignals.sink(
                        UnusedSignals.of(inDecl + w.body() + outAssign, pipeline > 0 ? List.of("clk") : List.of())))
                .append("endmodule\n`default_nettype wire\n");
        Map<String, String> files = new LinkedHashMap<>();
        files.put(name + ".v", v.toString());
        files.put("tb.v", testbench(ports, header));
        files.put("ports.json", new Gson().toJson(ports) + "\n");
        return new Generated(files, List.copyOf(w.registers()), ports);
    }

    private static String testbench(Ports p, List<String> header) {
        List<String> h = new ArrayList<>(header);
        h.set(
                0,
                "tb: reads input words (hex, one sample per line) from +in=FILE, writes output words (hex) to +out=FILE");
        boolean clocked = p.latency() > 0;
        return GeneratedHeader.comment(h) + "`timescale 1ns/1ps\nmodule tb;\n"
                + "    reg [" + (Math.max(1, p.inputBits()) - 1) + ":0] x;\n"
                + "    wire [" + (p.outputBits() - 1) + ":0] y;\n"
                + (clocked ? "    reg clk = 0;\n    always #5 clk = ~clk;\n" : "")
                + "    reg [8*1024-1:0] in_name, out_name;\n    integer fi, fo, r;\n"
                // $fscanf into a separate register, then an assignment: Verilator 5.006 does not re-evaluate logic that
                // reads a
                // variable written only by $fscanf (every sample after the first got the first sample's outputs)
                + "    reg [" + (Math.max(1, p.inputBits()) - 1) + ":0] xin;\n"
                + "    " + p.module() + " dut (" + (clocked ? ".clk(clk), " : "") + ".x(x), .y(y));\n"
                + "    initial begin\n"
                + "        if (!$value$plusargs(\"in=%s\", in_name) || !$value$plusargs(\"out=%s\", out_name)) begin\n"
                + "            $display(\"usage: +in=FILE +out=FILE\");\n            $finish;\n        end\n"
                + "        fi = $fopen(in_name, \"r\");\n        fo = $fopen(out_name, \"w\");\n"
                + "        r = $fscanf(fi, \"%h\\n\", xin);\n"
                + "        while (r == 1) begin\n"
                + "            x = xin;\n"
                + (clocked
                        ? "            repeat (" + p.latency() + ") @(posedge clk);\n            #1;\n"
                        : "            #1;\n")
                + "            $fdisplay(fo, \"%h\", y);\n"
                + "            r = $fscanf(fi, \"%h\\n\", xin);\n"
                + "        end\n        $fclose(fi);\n        $fclose(fo);\n        $finish;\n    end\nendmodule\n";
    }

    /** Writes the files and {@code widths.json} into {@code dir}, each atomically. */
    public static Generated export(
            IntegerModel model,
            CertifiedWidths widths,
            String name,
            int pipeline,
            Path dir,
            String modelFile,
            String modelSha,
            String certificateSha)
            throws IOException {
        Generated g = generate(model, widths, name, pipeline, modelFile, modelSha, certificateSha);
        for (Map.Entry<String, String> f : g.files().entrySet()) {
            AtomicFiles.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        WidthsManifest.of("verilog", modelSha, certificateSha, g.registers()).write(dir);
        return g;
    }
}
