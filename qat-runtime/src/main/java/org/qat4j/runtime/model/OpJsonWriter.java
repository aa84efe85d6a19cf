package org.qat4j.runtime.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/** Writes one op of an {@link IntegerModel} as its object in the model file ({@code docs/format.md}, {@code ops}). */
final class OpJsonWriter {
    private OpJsonWriter() {}

    static JsonObject op(ModelOp op) {
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

    static JsonArray ints(int[] v) {
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

    static int[] weightShape(ConvOp c) {
        int[] k = c.kernel();
        int[] s = new int[k.length + 2];
        s[0] = c.outChannels();
        s[1] = c.inChannels();
        System.arraycopy(k, 0, s, 2, k.length);
        return s;
    }
}
