package org.qat4j.export.c;

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
import org.qat4j.runtime.io.AtomicFiles;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.TensorInfo;
import org.qat4j.runtime.model.TensorKind;

/**
 * C99 from an integer model: {@code <name>.h}, {@code <name>.c} and a driver {@code <name>_main.c}.
 * No heap, no mutable globals (weights are {@code static const} tables of the narrowest type, zero
 * weights dropped), accumulators as wide as the checked certificate proves ({@code int32_t} up to 32
 * bits, else {@code int64_t}), and the runtime's exact semantics (docs/format.md, docs/fixed-point.md).
 * Float ops (A2Q scales, float average pooling, dequantization) are single IEEE float32 operations in the
 * runtime's order, so compile with {@code -ffp-contract=off} and never {@code -ffast-math}, on a target
 * whose float arithmetic is IEEE binary32 ({@code FLT_EVAL_METHOD == 0}: x86-64 SSE, AArch64, Cortex-M4F).
 */
public final class CExporter {
    /** The compiler flags the generated code is tested with. */
    public static final List<String> FLAGS =
            List.of("-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-ffp-contract=off");

    private CExporter() {}

    /** The generated files by name, and the registers they declare. */
    public record Generated(Map<String, String> files, List<Register> registers) {}

    /**
     * Generates the sources.
     *
     * @param name C identifier prefix and file stem
     * @param modelFile model file name for the header
     */
    public static Generated generate(
            IntegerModel model,
            CertifiedWidths widths,
            String name,
            String modelFile,
            String modelSha,
            String certificateSha) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ExportException("--name '" + name + "': not a C identifier");
        }
        COpWriter ops = new COpWriter(model, widths);
        List<ModelOp> list = model.ops();
        for (int n = 0; n < list.size(); n++) {
            ops.write(n, list.get(n));
        }
        TensorInfo in = model.tensor(model.inputName());
        TensorInfo outT = model.tensor(model.outputName());
        String outType = COpWriter.cType(outT);
        int intEnd = intVariantEnd(model);
        List<String> header = new ArrayList<>(
                GeneratedHeader.lines(name + ": C99 integer model", modelFile, modelSha, certificateSha));
        header.add(
                "Compile with -std=c99 -ffp-contract=off (never -ffast-math); float32 arithmetic must be IEEE binary32");
        header.add("(FLT_EVAL_METHOD 0); right shifts of negative values must be arithmetic (gcc, clang).");
        header.add("No heap, no mutable globals; tensors live on the stack of " + name + "_forward.");
        String upper = name.toUpperCase(java.util.Locale.ROOT);

        StringBuilder h = new StringBuilder(GeneratedHeader.comment(header));
        h.append("#ifndef ")
                .append(upper)
                .append("_H\n#define ")
                .append(upper)
                .append("_H\n\n#include <stdint.h>\n\n")
                .append("#define ")
                .append(upper)
                .append("_INPUT_SIZE ")
                .append(in.numel())
                .append('\n')
                .append("#define ")
                .append(upper)
                .append("_OUTPUT_SIZE ")
                .append(outT.numel())
                .append('\n')
                .append("#define ")
                .append(upper)
                .append("_OUTPUT_IS_FLOAT ")
                .append(outT.kind() == TensorKind.FLOAT ? 1 : 0)
                .append("\n\n")
                .append("/* return values: 0 success; 1 an input quantizer met NaN; 2 an infinite input under WRAP;\n")
                .append("   3 a mantissa beyond 2^53 cannot be dequantized exactly */\n")
                .append("#define ")
                .append(upper)
                .append("_ERROR_NAN 1\n#define ")
                .append(upper)
                .append("_ERROR_INFINITE_WRAP 2\n#define ")
                .append(upper)
                .append("_ERROR_INEXACT 3\n\n")
                .append("/* in: ")
                .append(in.numel())
                .append(" float32 values (shape ")
                .append(java.util.Arrays.toString(in.shape()))
                .append(", channels first); out: ")
                .append(outT.numel())
                .append(" values */\n")
                .append("int ")
                .append(name)
                .append("_forward(const float *in, ")
                .append(outType)
                .append(" *out);\n");
        if (intEnd > 0) {
            ModelOp q = list.get(0);
            ModelOp d = list.get(intEnd);
            h.append("\n/* Integer in, integer out: in holds the ")
                    .append(model.tensor(q.name()).numel())
                    .append(" mantissas the input quantizer '")
                    .append(q.name())
                    .append("' produces,\n   out the ")
                    .append(model.tensor(d.inputs().get(0)).numel())
                    .append(" integers that '")
                    .append(d.name())
                    .append("' dequantizes (the output before the final float conversion). */\n")
                    .append("#define ")
                    .append(upper)
                    .append("_INT_INPUT_SIZE ")
                    .append(model.tensor(q.name()).numel())
                    .append('\n')
                    .append("#define ")
                    .append(upper)
                    .append("_INT_OUTPUT_SIZE ")
                    .append(model.tensor(d.inputs().get(0)).numel())
                    .append('\n')
                    .append("int ")
                    .append(name)
                    .append("_forward_int(const int64_t *in, int64_t *out);\n");
        }
        h.append("\n#endif\n");

        StringBuilder c = new StringBuilder(GeneratedHeader.comment(header));
        c.append("#include <stdint.h>\n#include <string.h>\n#include \"")
                .append(name)
                .append(".h\"\n\n")
                .append("#define QAT_ERROR_NAN ")
                .append(upper)
                .append("_ERROR_NAN\n#define QAT_ERROR_INFINITE_WRAP ")
                .append(upper)
                .append("_ERROR_INFINITE_WRAP\n#define QAT_ERROR_INEXACT ")
                .append(upper)
                .append("_ERROR_INEXACT\n\n")
                .append(CFixedPointSource.text(
                        has(list, QuantizeFixedOp.class),
                        has(list, org.qat4j.runtime.model.RequantizeFixedOp.class),
                        has(list, QuantizeScaledOp.class)))
                .append(ops.source());
        c.append('\n')
                .append(forward(model, name + "_forward", "const float *in", outType + " *out", 0, list.size(), null));
        if (intEnd > 0) {
            c.append('\n')
                    .append(forward(
                            model,
                            name + "_forward_int",
                            "const int64_t *in",
                            "int64_t *out",
                            1,
                            intEnd,
                            list.get(intEnd).inputs().get(0)));
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(name + ".h", h.toString());
        files.put(name + ".c", c.toString());
        files.put(name + "_main.c", CDriverSource.text(name, outT.kind() == TensorKind.FLOAT, header));
        return new Generated(files, List.copyOf(ops.registers()));
    }

    private static boolean has(List<ModelOp> ops, Class<? extends ModelOp> kind) {
        return ops.stream().anyMatch(kind::isInstance);
    }

    /** Index of the final dequantize op when the model is quantize → integer ops → dequantize, else −1. */
    private static int intVariantEnd(IntegerModel model) {
        List<ModelOp> ops = model.ops();
        if (ops.size() < 3 || !(ops.get(0) instanceof QuantizeFixedOp || ops.get(0) instanceof QuantizeScaledOp)) {
            return -1;
        }
        int last = ops.size() - 1;
        ModelOp d = ops.get(last);
        if (!d.name().equals(model.outputName())
                || !(d instanceof DequantizeFixedOp || d instanceof DequantizeScaledOp)) {
            return -1;
        }
        for (int n = 1; n < ops.size(); n++) {
            if (ops.get(n).inputs().contains(model.inputName())) {
                return -1;
            }
        }
        return last;
    }

    /**
     * A forward function running ops {@code [from, to)}; op {@code from − 1}'s tensor (or the model input)
     * is {@code in}; the result is tensor {@code result} (null: the model output).
     */
    private static String forward(
            IntegerModel model, String fn, String inParam, String outParam, int from, int to, String result) {
        List<ModelOp> ops = model.ops();
        Map<String, String> names = new LinkedHashMap<>();
        names.put(from == 0 ? model.inputName() : ops.get(from - 1).name(), "in");
        StringBuilder decl = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (int n = from; n < to; n++) {
            ModelOp op = ops.get(n);
            TensorInfo t = model.tensor(op.name());
            String var = "t" + n;
            decl.append("    ")
                    .append(COpWriter.cType(t))
                    .append(' ')
                    .append(var)
                    .append('[')
                    .append(t.numel())
                    .append("];\n");
            StringBuilder args = new StringBuilder();
            for (String i : op.inputs()) {
                String v = names.get(i);
                if (v == null) {
                    throw new ExportException(
                            "op '" + op.name() + "' reads '" + i + "', which " + fn + " does not compute");
                }
                args.append(v).append(", ");
            }
            body.append("    rc = op_")
                    .append(n)
                    .append('(')
                    .append(args)
                    .append(var)
                    .append(");\n    if (rc != 0) return rc;\n");
            names.put(op.name(), var);
        }
        String res = names.get(result == null ? model.outputName() : result);
        TensorInfo rt = model.tensor(result == null ? model.outputName() : result);
        return "int " + fn + "(" + inParam + ", " + outParam + ") {\n" + decl + "    int rc;\n" + body
                + "    memcpy(out, " + res + ", sizeof(" + COpWriter.cType(rt) + ") * " + rt.numel()
                + ");\n    return 0;\n}\n";
    }

    /**
     * Writes the generated files and {@code widths.json} into {@code dir}, each atomically.
     *
     * @return the generated sources and registers
     */
    public static Generated export(
            IntegerModel model,
            CertifiedWidths widths,
            String name,
            Path dir,
            String modelFile,
            String modelSha,
            String certificateSha)
            throws IOException {
        Generated g = generate(model, widths, name, modelFile, modelSha, certificateSha);
        for (Map.Entry<String, String> f : g.files().entrySet()) {
            AtomicFiles.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        WidthsManifest.of("c", modelSha, certificateSha, g.registers()).write(dir);
        return g;
    }
}
