package org.qat4j.runtime.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Map;

/**
 * Maps {@link IntegerModel}s to and from the JSON tree of the model file ({@code docs/format.md}): the
 * root (format, version, provenance, input, op list, output, test vectors); each op's own fields are
 * {@link OpJsonWriter}'s and {@link OpJsonReader}'s.
 */
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
        in.add("shape", OpJsonWriter.ints(m.inputShape()));
        root.add("input", in);
        JsonArray ops = new JsonArray();
        for (ModelOp op : m.ops()) {
            ops.add(OpJsonWriter.op(op));
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
            b.addOp(OpJsonReader.op(op));
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
}
