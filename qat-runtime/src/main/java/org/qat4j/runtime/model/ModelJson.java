package org.qat4j.runtime.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/** Maps {@link IntegerModel}s to and from the JSON tree of the model file ({@code docs/format.md}). */
final class ModelJson {
    static final String FORMAT_NAME = "qat4j-integer-model";

    private ModelJson() {}

    static JsonObject toJson(IntegerModel m) {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT_NAME);
        root.addProperty("formatVersion", IntegerModel.FORMAT_VERSION);
        root.add("provenance", provenance(m.provenance()));
        JsonObject in = new JsonObject();
        in.addProperty("name", m.inputName());
        in.add("shape", ints(m.inputShape()));
        root.add("input", in);
        JsonArray ops = new JsonArray();
        for (ModelOp op : m.ops()) {
            ops.add(op(op));
        }
        root.add("ops", ops);
        root.addProperty("output", m.outputName());
        TestVectors tv = m.testVectors();
        if (tv != null) {
            JsonObject t = new JsonObject();
            t.addProperty("source", tv.source());
            t.addProperty("count", tv.count());
            int inN = m.tensor(m.inputName()).numel();
            int outN = m.tensor(m.outputName()).numel();
            t.add("inputs", ArrayCodec.encodeFloat32(tv.inputs(), tv.count(), inN));
            t.add(
                    "outputs",
                    tv.floatOutputs() != null
                            ? ArrayCodec.encodeFloat32(tv.floatOutputs(), tv.count(), outN)
                            : ArrayCodec.encodeInt64(tv.intOutputs(), tv.count(), outN));
            root.add("testVectors", t);
        }
        return root;
    }

    private static JsonObject provenance(Provenance p) {
        JsonObject o = new JsonObject();
        o.addProperty("method", p.method());
        o.addProperty("recipe", p.recipe());
        o.addProperty("seed", p.seed());
        o.addProperty("libraryVersion", p.libraryVersion());
        JsonObject s = new JsonObject();
        for (Map.Entry<String, String> e : p.settings().entrySet()) {
            s.addProperty(e.getKey(), e.getValue());
        }
        o.add("settings", s);
        return o;
    }

    private static JsonArray ints(int[] v) {
        JsonArray a = new JsonArray();
        for (int x : v) {
            a.add(new JsonPrimitive(x));
        }
        return a;
    }

    private static JsonObject formats(FixedFormats f) {
        JsonObject o = new JsonObject();
        o.add("k", ArrayCodec.encodeInt32(f.k(), f.length()));
        o.add("i", ArrayCodec.encodeInt32(f.i(), f.length()));
        o.add("f", ArrayCodec.encodeInt32(f.f(), f.length()));
        return o;
    }

    private static JsonObject constraint(A2qConstraint c) {
        JsonObject o = new JsonObject();
        o.addProperty("variant", c.variant() == A2qConstraint.Variant.A2Q ? "A2Q" : "A2Q+");
        o.addProperty("inputBits", c.inputBits());
        o.addProperty("inputSigned", c.inputSigned());
        o.addProperty("weightBits", c.weightBits());
        return o;
    }

    private static JsonObject op(ModelOp op) {
        JsonObject o = new JsonObject();
        o.addProperty("op", op.opType());
        o.addProperty("name", op.name());
        JsonArray in = new JsonArray();
        op.inputs().forEach(in::add);
        o.add("inputs", in);
        if (op instanceof QuantizeFixedOp q) {
            o.add("formats", formats(q.formats()));
            o.addProperty("rounding", q.rounding().name());
            o.addProperty("overflow", q.overflow().name());
        } else if (op instanceof QuantizeScaledOp q) {
            o.addProperty("scale", q.scale());
            o.addProperty("scaleBits", Integer.toHexString(Float.floatToRawIntBits(q.scale())));
            o.addProperty("bits", q.bits());
            o.addProperty("signed", q.signed());
            o.addProperty("narrow", q.narrow());
        } else if (op instanceof DenseOp d) {
            o.addProperty("inFeatures", d.inFeatures());
            o.addProperty("outFeatures", d.outFeatures());
            o.add("weights", ArrayCodec.encodeInt32(d.weights(), d.outFeatures(), d.inFeatures()));
            o.add("bias", ArrayCodec.encodeInt64(d.bias(), d.outFeatures()));
            o.addProperty("accumulatorBits", d.accumulatorBits());
            if (d.constraint() != null) {
                o.add("constraint", constraint(d.constraint()));
            }
        } else if (op instanceof ConvOp c) {
            o.addProperty("inChannels", c.inChannels());
            o.addProperty("outChannels", c.outChannels());
            o.add("kernel", ints(c.kernel()));
            o.add("stride", ints(c.stride()));
            o.add("padding", ints(c.padding()));
            o.add("dilation", ints(c.dilation()));
            o.add("weights", ArrayCodec.encodeInt32(c.weights(), weightShape(c)));
            o.add("bias", ArrayCodec.encodeInt64(c.bias(), c.outChannels()));
            o.addProperty("accumulatorBits", c.accumulatorBits());
            if (c.constraint() != null) {
                o.add("constraint", constraint(c.constraint()));
            }
        } else if (op instanceof AddOp a) {
            o.addProperty("accumulatorBits", a.accumulatorBits());
        } else if (op instanceof FloatAddOp) {
            // no attributes
        } else if (op instanceof ReluOp) {
            // no attributes
        } else if (op instanceof FlattenOp) {
            // no attributes
        } else if (op instanceof PoolOp p) {
            o.add("window", ints(p.window()));
            o.add("stride", ints(p.stride()));
            if (p.kind() == PoolOp.Kind.AVG) {
                o.addProperty("accumulatorBits", p.accumulatorBits());
            }
        } else if (op instanceof RequantizeFixedOp r) {
            o.add("inputFrac", ArrayCodec.encodeInt32(r.inputFrac(), r.inputFrac().length));
            o.add("formats", formats(r.formats()));
            o.addProperty("rounding", r.rounding().name());
            o.addProperty("overflow", r.overflow().name());
        } else if (op instanceof DequantizeFixedOp d) {
            o.add("frac", ArrayCodec.encodeInt32(d.frac(), d.frac().length));
        } else if (op instanceof EmbeddingOp e) {
            o.addProperty("rows", e.rows());
            o.addProperty("dim", e.dim());
            o.addProperty("codeBits", e.codeBits());
            o.addProperty("kind", e.kind() == EmbeddingOp.Kind.AFFINE ? "affine" : "codebook");
            o.add("codes", ArrayCodec.encodeInt32(e.codes(), e.rows(), e.dim()));
            if (e.kind() == EmbeddingOp.Kind.AFFINE) {
                o.add("scale", ArrayCodec.encodeInt64(e.scale(), e.rows()));
                o.add("offset", ArrayCodec.encodeInt64(e.offset(), e.rows()));
            } else {
                o.add("codebook", ArrayCodec.encodeInt64(e.codebook(), e.rows(), 1 << e.codeBits()));
            }
            o.addProperty("accumulatorBits", e.accumulatorBits());
        } else if (op instanceof SparqOp q) {
            o.addProperty("inputBits", q.inputBits());
            o.addProperty("windowBits", q.windowBits());
            o.add("placements", ints(q.placements()));
            o.addProperty("rounding", q.rounding());
            o.addProperty("pairs", q.pairs());
        } else if (op instanceof MultipointDenseOp m) {
            MultipointJson.write(m, o);
        } else if (op instanceof DequantizeScaledOp d) {
            o.add("inputScale", ArrayCodec.encodeFloat32(new float[] {d.inputScale()}, 1));
            o.add("channelScale", ArrayCodec.encodeFloat32(d.channelScale(), d.channelScale().length));
            if (d.bias() != null) {
                o.add("bias", ArrayCodec.encodeFloat32(d.bias(), d.bias().length));
            }
        }

        return o;
    }

    static int[] weightShape(ConvOp c) {
        int[] k = c.kernel();
        int[] s = new int[k.length + 2];
        s[0] = c.outChannels();
        s[1] = c.inChannels();
        System.arraycopy(k, 0, s, 2, k.length);
        return s;
    }

    // ---------------------------------------------------------------- reading

    static IntegerModel fromJson(Json root) {
        String format = root.string("format");
        if (!FORMAT_NAME.equals(format)) {
            throw new ModelFormatException("$.format = '" + format + "', expected '" + FORMAT_NAME + "'");
        }
        int version = root.integer("formatVersion");
        if (version != IntegerModel.FORMAT_VERSION) {
            throw new ModelFormatException("$.formatVersion = " + version
                    + ": unknown version, this reader knows version " + IntegerModel.FORMAT_VERSION);
        }
        Json p = root.object("provenance");
        Provenance prov = new Provenance(
                p.string("method"),
                p.string("recipe"),
                p.longValue("seed"),
                p.string("libraryVersion"),
                p.stringMap("settings"));
        Json in = root.object("input");
        IntegerModel.Builder b = IntegerModel.builder()
                .setProvenance(prov)
                .setInput(in.string("name"), in.intArray("shape"))
                .setOutput(root.string("output"));
        for (Json op : root.objects("ops")) {
            b.addOp(op(op));
        }
        if (root.has("testVectors")) {
            IntegerModel shapes = b.build();
            Json t = root.object("testVectors");
            int count = t.integer("count");
            int inN = shapes.tensor(shapes.inputName()).numel();
            TensorInfo out = shapes.tensor(shapes.outputName());
            int[] inShape = {count, inN};
            int[] outShape = {count, out.numel()};
            Shapes.numel(inShape, t.path() + ".inputs");
            Shapes.numel(outShape, t.path() + ".outputs");
            float[] inputs = ArrayCodec.decodeFloat32(t, "inputs", inShape);
            TestVectors tv = out.kind() == TensorKind.FLOAT
                    ? new TestVectors(
                            t.string("source"), count, inputs, ArrayCodec.decodeFloat32(t, "outputs", outShape), null)
                    : new TestVectors(
                            t.string("source"), count, inputs, null, ArrayCodec.decodeInt64(t, "outputs", outShape));
            b.optTestVectors(tv);
        }
        return b.build();
    }

    private static String[] inputs(Json o, int count) {
        JsonArray a = o.array("inputs");
        if (a.size() != count) {
            throw new ModelFormatException(o.path() + ".inputs: " + a.size() + " names, expected " + count);
        }
        String[] out = new String[count];
        for (int n = 0; n < count; n++) {
            if (!a.get(n).isJsonPrimitive() || !a.get(n).getAsJsonPrimitive().isString()) {
                throw new ModelFormatException(o.path() + ".inputs[" + n + "]: expected a tensor name");
            }
            out[n] = a.get(n).getAsString();
        }
        return out;
    }

    private static FixedFormats formats(Json o) {
        Json f = o.object("formats");
        int n = ArrayCodec.shapeOf(f, "k").length == 1 ? ArrayCodec.shapeOf(f, "k")[0] : -1;
        if (n <= 0) {
            throw new ModelFormatException(f.path() + ".k.shape must be [n] with n ≥ 1");
        }
        int[] shape = {n};
        return FixedFormats.of(
                ArrayCodec.decodeInt32(f, "k", shape),
                ArrayCodec.decodeInt32(f, "i", shape),
                ArrayCodec.decodeInt32(f, "f", shape),
                f.path());
    }

    private static <E extends Enum<E>> E enumValue(Json o, String key, Class<E> type) {
        String v = o.string(key);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(
                    o.path() + "." + key + " = '" + v + "': expected one of "
                            + java.util.Arrays.toString(type.getEnumConstants()),
                    e);
        }
    }

    private static A2qConstraint constraint(Json o) {
        if (!o.has("constraint")) {
            return null;
        }
        Json c = o.object("constraint");
        String v = c.string("variant");
        A2qConstraint.Variant variant = switch (v) {
            case "A2Q" -> A2qConstraint.Variant.A2Q;
            case "A2Q+" -> A2qConstraint.Variant.A2Q_PLUS;
            default -> throw new ModelFormatException(c.path() + ".variant = '" + v + "': expected 'A2Q' or 'A2Q+'");
        };
        return new A2qConstraint(variant, c.integer("inputBits"), c.bool("inputSigned"), c.integer("weightBits"));
    }

    private static int[] vector(Json o, String key) {
        int[] s = ArrayCodec.shapeOf(o, key);
        if (s.length != 1) {
            throw new ModelFormatException(
                    o.path() + "." + key + ".shape = " + Shapes.toString(s) + ": expected rank 1");
        }
        return ArrayCodec.decodeInt32(o, key, s);
    }

    private static float[] floatVector(Json o, String key) {
        int[] s = ArrayCodec.shapeOf(o, key);
        if (s.length != 1) {
            throw new ModelFormatException(
                    o.path() + "." + key + ".shape = " + Shapes.toString(s) + ": expected rank 1");
        }
        return ArrayCodec.decodeFloat32(o, key, s);
    }

    private static float floatBits(Json o, String key) {
        String hex = o.string(key);
        try {
            return Float.intBitsToFloat(Integer.parseUnsignedInt(hex, 16));
        } catch (NumberFormatException e) {
            throw new ModelFormatException(
                    o.path() + "." + key + " = '" + hex + "': expected the float32 bit pattern in hexadecimal", e);
        }
    }

    private static EmbeddingOp embedding(Json o, String name) {
        int rows = o.integer("rows");
        int dim = o.integer("dim");
        int bits = o.integer("codeBits");
        if (bits < 1 || bits > 8) {
            throw new ModelFormatException(o.path() + ".codeBits = " + bits + ": must lie in [1, 8]");
        }
        Shapes.numel(new int[] {rows, dim}, o.path() + " (rows × dim)");
        Shapes.numel(new int[] {rows, 1 << bits}, o.path() + " (rows × 2^codeBits)");
        int[] codes = ArrayCodec.decodeInt32(o, "codes", new int[] {rows, dim});
        String kind = o.string("kind");
        return switch (kind) {
            case "affine" ->
                new EmbeddingOp(
                        name,
                        inputs(o, 1)[0],
                        rows,
                        dim,
                        bits,
                        EmbeddingOp.Kind.AFFINE,
                        codes,
                        ArrayCodec.decodeInt64(o, "scale", new int[] {rows}),
                        ArrayCodec.decodeInt64(o, "offset", new int[] {rows}),
                        null,
                        o.integer("accumulatorBits"));
            case "codebook" ->
                new EmbeddingOp(
                        name,
                        inputs(o, 1)[0],
                        rows,
                        dim,
                        bits,
                        EmbeddingOp.Kind.CODEBOOK,
                        codes,
                        null,
                        null,
                        ArrayCodec.decodeInt64(o, "codebook", new int[] {rows, 1 << bits}),
                        o.integer("accumulatorBits"));
            default ->
                throw new ModelFormatException(o.path() + ".kind = '" + kind + "': expected 'affine' or 'codebook'");
        };
    }

    private static ModelOp op(Json o) {
        String type = o.string("op");
        String name = o.string("name");
        return switch (type) {
            case "quantize_fixed" ->
                new QuantizeFixedOp(
                        name,
                        inputs(o, 1)[0],
                        formats(o),
                        enumValue(o, "rounding", RoundingMode.class),
                        enumValue(o, "overflow", OverflowMode.class));
            case "quantize_scaled" -> {
                float scale = floatBits(o, "scaleBits");
                yield new QuantizeScaledOp(
                        name, inputs(o, 1)[0], scale, o.integer("bits"), o.bool("signed"), o.bool("narrow"));
            }
            case "dense" -> {
                int inF = o.integer("inFeatures");
                int outF = o.integer("outFeatures");
                Shapes.numel(new int[] {outF, inF}, o.path() + " (outFeatures × inFeatures)");
                yield new DenseOp(
                        name,
                        inputs(o, 1)[0],
                        inF,
                        outF,
                        ArrayCodec.decodeInt32(o, "weights", new int[] {outF, inF}),
                        ArrayCodec.decodeInt64(o, "bias", new int[] {outF}),
                        o.integer("accumulatorBits"),
                        constraint(o));
            }
            case "conv1d", "conv2d" -> {
                int rank = type.equals("conv1d") ? 1 : 2;
                int[] kernel = o.intArray("kernel");
                if (kernel.length != rank) {
                    throw new ModelFormatException(
                            o.path() + ".kernel: rank " + kernel.length + " does not match op '" + type + "'");
                }
                int cin = o.integer("inChannels");
                int cout = o.integer("outChannels");
                int[] ws = new int[rank + 2];
                ws[0] = cout;
                ws[1] = cin;
                System.arraycopy(kernel, 0, ws, 2, rank);
                Shapes.numel(ws, o.path() + ".weights (declared by outChannels, inChannels, kernel)");
                yield new ConvOp(
                        name,
                        inputs(o, 1)[0],
                        cin,
                        cout,
                        kernel,
                        o.intArray("stride"),
                        o.intArray("padding"),
                        o.intArray("dilation"),
                        ArrayCodec.decodeInt32(o, "weights", ws),
                        ArrayCodec.decodeInt64(o, "bias", new int[] {cout}),
                        o.integer("accumulatorBits"),
                        constraint(o));
            }
            case "add" -> {
                String[] in = inputs(o, 2);
                yield new AddOp(name, in[0], in[1], o.integer("accumulatorBits"));
            }
            case "add_float" -> {
                String[] in = inputs(o, 2);
                yield new FloatAddOp(name, in[0], in[1]);
            }
            case "relu" -> new ReluOp(name, inputs(o, 1)[0]);
            case "flatten" -> new FlattenOp(name, inputs(o, 1)[0]);
            case "avgpool_float" ->
                new PoolOp(
                        name, inputs(o, 1)[0], PoolOp.Kind.FLOAT_AVG, o.intArray("window"), o.intArray("stride"), 64);
            case "maxpool" ->
                new PoolOp(name, inputs(o, 1)[0], PoolOp.Kind.MAX, o.intArray("window"), o.intArray("stride"), 64);
            case "avgpool" ->
                new PoolOp(
                        name,
                        inputs(o, 1)[0],
                        PoolOp.Kind.AVG,
                        o.intArray("window"),
                        o.intArray("stride"),
                        o.integer("accumulatorBits"));
            case "requantize_fixed" ->
                new RequantizeFixedOp(
                        name,
                        inputs(o, 1)[0],
                        vector(o, "inputFrac"),
                        formats(o),
                        enumValue(o, "rounding", RoundingMode.class),
                        enumValue(o, "overflow", OverflowMode.class));
            case "dequantize_fixed" -> new DequantizeFixedOp(name, inputs(o, 1)[0], vector(o, "frac"));
            case "dequantize_scaled" -> {
                float[] s = ArrayCodec.decodeFloat32(o, "inputScale", new int[] {1});
                yield new DequantizeScaledOp(
                        name,
                        inputs(o, 1)[0],
                        s[0],
                        floatVector(o, "channelScale"),
                        o.has("bias") ? floatVector(o, "bias") : null);
            }
            case "embedding" -> embedding(o, name);
            case "sparq" ->
                new SparqOp(
                        name,
                        inputs(o, 1)[0],
                        o.integer("inputBits"),
                        o.integer("windowBits"),
                        o.intArray("placements"),
                        o.bool("rounding"),
                        o.bool("pairs"));
            case "multipoint_dense" -> MultipointJson.read(o, name, inputs(o, 1)[0]);
            default -> throw new ModelFormatException(o.path() + ".op = '" + type + "': unknown op");
        };
    }
}
