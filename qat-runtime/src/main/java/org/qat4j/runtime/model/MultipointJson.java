package org.qat4j.runtime.model;

import com.google.gson.JsonObject;

/** The file form of {@link MultipointDenseOp} (docs/format.md, {@code multipoint_dense}). */
final class MultipointJson {
    private MultipointJson() {}

    static void write(MultipointDenseOp m, JsonObject o) {
        o.addProperty("inFeatures", m.inFeatures());
        o.addProperty("outFeatures", m.outFeatures());
        o.addProperty("weightBits", m.weightBits());
        o.add("points", ArrayCodec.encodeInt32(m.points(), m.outFeatures()));
        o.add("codes", ArrayCodec.encodeInt32(m.codes(), m.rows(), m.inFeatures()));
        o.add("multipliers", ArrayCodec.encodeInt64(m.multipliers(), m.rows()));
        o.add("bias", ArrayCodec.encodeInt64(m.bias(), m.outFeatures()));
        o.addProperty("pointAccumulatorBits", m.pointAccumulatorBits());
        o.addProperty("accumulatorBits", m.accumulatorBits());
    }

    static MultipointDenseOp read(Json o, String name, String input) {
        int inF = o.integer("inFeatures");
        int outF = o.integer("outFeatures");
        Shapes.numel(new int[] {outF}, o.path() + ".outFeatures");
        int[] points = ArrayCodec.decodeInt32(o, "points", new int[] {outF});
        long rows = 0;
        for (int p = 0; p < points.length; p++) {
            if (points[p] < 1) {
                throw new ModelFormatException(
                        o.path() + ".points[" + p + "] = " + points[p] + ": every channel needs at least one point");
            }
            rows += points[p];
        }
        if (rows > Shapes.MAX_ELEMENTS) {
            throw new ModelFormatException(
                    o.path() + ".points: Σ points = " + rows + " exceeds " + Shapes.MAX_ELEMENTS);
        }
        Shapes.numel(new int[] {(int) rows, inF}, o.path() + " (Σ points × inFeatures)");
        return new MultipointDenseOp(
                name,
                input,
                inF,
                outF,
                o.integer("weightBits"),
                points,
                ArrayCodec.decodeInt32(o, "codes", new int[] {(int) rows, inF}),
                ArrayCodec.decodeInt64(o, "multipliers", new int[] {(int) rows}),
                ArrayCodec.decodeInt64(o, "bias", new int[] {outF}),
                o.integer("pointAccumulatorBits"),
                o.integer("accumulatorBits"));
    }
}
