package org.qat4j.runtime.model;

import com.google.gson.JsonArray;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;

/**
 * Reads one op of the model file ({@code docs/format.md}, {@code ops}) into its {@link ModelOp}; every
 * refusal is a {@link ModelFormatException} naming the field ({@code $.ops[n].…}) and the value.
 */
final class OpJsonReader {
    private OpJsonReader() {}

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

    static ModelOp op(Json o) {
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
