package org.qat4j.export.c;

import java.util.ArrayList;
import java.util.List;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.ExportException;
import org.qat4j.export.Register;
import org.qat4j.runtime.model.AddOp;
import org.qat4j.runtime.model.ConvOp;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.DequantizeScaledOp;
import org.qat4j.runtime.model.EmbeddingOp;
import org.qat4j.runtime.model.FlattenOp;
import org.qat4j.runtime.model.FloatAddOp;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelOp;
import org.qat4j.runtime.model.MultipointDenseOp;
import org.qat4j.runtime.model.PoolOp;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.SparqOp;
import org.qat4j.runtime.model.TensorInfo;
import org.qat4j.runtime.model.TensorKind;

/**
 * One C function per op of the integer model ({@code static int op_N(inputs..., output)}), with the
 * semantics of docs/format.md: integer ops on {@code int64_t} tensors; dense/conv/add/avgpool
 * accumulate in {@code int32_t} where the checked certificate proves the layer needs at most 32 bits,
 * else {@code int64_t} (every partial sum in any order lies in the certified interval, so neither the
 * products nor the sums overflow); zero weights are dropped (sparse rows: weight, input index); float
 * ops in the runtime's float32 order. This class dispatches to one writer per op family and holds what
 * they share: the function frame, the parameter list, the accumulator registers and their marks.
 */
final class COpWriter {
    private final IntegerModel model;
    private final CertifiedWidths widths;
    private final StringBuilder out = new StringBuilder();
    private final List<Register> registers = new ArrayList<>();

    COpWriter(IntegerModel model, CertifiedWidths widths) {
        this.model = model;
        this.widths = widths;
    }

    String source() {
        return out.toString();
    }

    List<Register> registers() {
        return registers;
    }

    static String cType(TensorInfo t) {
        return t.kind() == TensorKind.FLOAT ? "float" : "int64_t";
    }

    /** Writes op number {@code n}. */
    void write(int n, ModelOp op) {
        String fn = "op_" + n;
        TensorInfo o = model.tensor(op.name());
        out.append("\n/* op ")
                .append(n)
                .append(": ")
                .append(op.opType())
                .append(" '")
                .append(safe(op.name()))
                .append("' */\n");
        String params = params(op) + ", " + cType(o) + " *y";
        if (op instanceof QuantizeFixedOp q) {
            CQuantizerWriter.quantize(this, fn, params, q, o);
        } else if (op instanceof QuantizeScaledOp q) {
            CScaledWriter.quantize(this, fn, params, q, o);
        } else if (op instanceof RequantizeFixedOp q) {
            CQuantizerWriter.requantize(this, fn, params, q, o);
        } else if (op instanceof DequantizeFixedOp d) {
            CQuantizerWriter.dequantize(this, fn, params, d, o);
        } else if (op instanceof DequantizeScaledOp d) {
            CScaledWriter.dequantize(this, fn, params, d, o);
        } else if (op instanceof DenseOp d) {
            CDenseWriter.dense(this, fn, params, d);
        } else if (op instanceof MultipointDenseOp m) {
            CDenseWriter.multipoint(this, fn, params, m);
        } else if (op instanceof ConvOp c) {
            CConvWriter.conv(this, fn, params, c, o);
        } else if (op instanceof PoolOp p) {
            CPoolWriter.pool(this, fn, params, p, o);
        } else if (op instanceof EmbeddingOp m) {
            CEmbeddingWriter.embedding(this, fn, params, m);
        } else if (op instanceof SparqOp q) {
            CSparqWriter.sparq(this, fn, params, q, o);
        } else if (op instanceof AddOp a) {
            CElementwiseWriter.add(this, fn, params, a, o);
        } else if (op instanceof FloatAddOp) {
            CElementwiseWriter.loop(this, fn, params, o, "y[e] = x[e] + x2[e];");
        } else if (op instanceof ReluOp) {
            CElementwiseWriter.relu(this, fn, params, o);
        } else if (op instanceof FlattenOp) {
            CElementwiseWriter.loop(this, fn, params, o, "y[e] = x[e];");
        } else {
            throw new ExportException("op '" + op.name() + "': " + op.opType() + " has no C export");
        }
    }

    /** The generated source so far: the family writers append tables and functions to it. */
    StringBuilder out() {
        return out;
    }

    TensorInfo tensor(String name) {
        return model.tensor(name);
    }

    /** Opens the frame <code>static int fn(params) {</code>; the body ends with {@code return 0;} and a brace. */
    StringBuilder function(String fn, String params) {
        return out.append("static int ").append(fn).append('(').append(params).append(") {\n");
    }

    /** Opens the frame and the element loop {@code for (e = 0; e < numel(y); e++)}. */
    void elementLoop(String fn, String params, TensorInfo y) {
        function(fn, params).append("    int e;\n");
        CLoops.open(out, 1, "e", 0, y.numel());
    }

    /** Closes the element loop and the frame. */
    void endElementLoop() {
        out.append("    }\n    return 0;\n}\n");
    }

    private String params(ModelOp op) {
        List<String> in = op.inputs();
        StringBuilder b = new StringBuilder();
        for (int t = 0; t < in.size(); t++) {
            b.append(t > 0 ? ", " : "")
                    .append("const ")
                    .append(cType(model.tensor(in.get(t))))
                    .append(t == 0 ? " *x" : " *x" + (t + 1));
        }
        return b.toString();
    }

    /** Index into a per-tensor/channel/element attribute table of length {@code length}. */
    static String index(int length, TensorInfo t) {
        if (length == 1) {
            return "0";
        }
        if (length == t.numel()) {
            return "e";
        }
        return "e / " + (t.numel() / t.shape()[0]);
    }

    /**
     * The C type of layer {@code layer}'s accumulator, {@code int32_t} where the certificate proves at most
     * 32 bits, else {@code int64_t}; records the register for the widths manifest.
     */
    String accumulator(String layer) {
        int bits = widths.layerBits(layer);
        String type = bits <= 32 ? "int32_t" : "int64_t";
        registers.add(new Register(layer + ".acc", bits <= 32 ? 32 : 64, bits));
        return type;
    }

    /** The comment token that names an accumulator register in the generated code. */
    static String registerMark(String layer) {
        return "qat4j-register " + safe(layer) + ".acc";
    }

    /** A name safe inside a C comment and as one register token. */
    static String safe(String name) {
        if (name.contains("*/") || name.contains("/*") || name.chars().anyMatch(Character::isWhitespace)) {
            throw new ExportException(
                    "op name '" + name + "' cannot appear in generated code (whitespace or comment delimiters)");
        }
        return name;
    }
}
