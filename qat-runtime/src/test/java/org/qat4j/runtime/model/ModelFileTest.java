package org.qat4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.runtime.exec.IntegerRuntime;

class ModelFileTest {
    @TempDir
    Path dir;

    static List<IntegerModel> models() {
        return List.of(
                TestModels.mlpFixed(1, 16, 64, 32, 32, 5),
                TestModels.cnnFixed(3),
                TestModels.conv1dFixed(4),
                TestModels.mlpA2q(5, A2qConstraint.Variant.A2Q, 16, 20, 12, 4),
                TestModels.mlpA2q(6, A2qConstraint.Variant.A2Q_PLUS, 14, 20, 12, 4),
                TestModels.cnnA2qFloatAvgPool(10),
                TestModels.mlpA2qResidual(12));
    }

    /** export → write → read → run equals export → run, bit for bit; the file re-serializes identically. */
    @Test
    void roundTripIsBitExact() throws IOException {
        Random rnd = new Random(9);
        for (IntegerModel m : models()) {
            Path f = dir.resolve("m.json");
            ModelWriter.write(m, f);
            IntegerModel back = ModelReader.read(f);
            assertEquals(ModelWriter.toJson(m), ModelWriter.toJson(back));
            IntegerRuntime a = IntegerRuntime.compile(m);
            IntegerRuntime b = IntegerRuntime.compile(back);
            float[] x = new float[100 * a.inputSize()];
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) rnd.nextGaussian() * 3;
            }
            float[] ya = a.runFloat(x, 100);
            float[] yb = b.runFloat(x, 100);
            for (int t = 0; t < ya.length; t++) {
                assertEquals(Float.floatToRawIntBits(ya[t]), Float.floatToRawIntBits(yb[t]));
            }
            assertEquals(m.provenance(), back.provenance());
        }
    }

    @Test
    void writeLeavesNoTemporaryFiles() throws IOException {
        ModelWriter.write(models().get(0), dir.resolve("a.json"));
        ModelWriter.write(models().get(1), dir.resolve("a.json"));
        try (var s = Files.list(dir)) {
            assertEquals(
                    List.of("a.json"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("HGQ", ModelReader.read(dir.resolve("a.json")).provenance().method());
    }

    private ModelFormatException rejectEdit(Consumer<JsonObject> edit) throws IOException {
        JsonObject root = JsonParser.parseString(ModelWriter.toJson(TestModels.cnnFixed(3)))
                .getAsJsonObject();
        edit.accept(root);
        Path f = dir.resolve("bad.json");
        Files.writeString(f, root.toString());
        return assertThrows(ModelFormatException.class, () -> ModelReader.read(f));
    }

    private static JsonObject op(JsonObject root, String name) {
        for (var e : root.getAsJsonArray("ops")) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void unknownVersionIsRejectedNamingTheField() throws IOException {
        ModelFormatException e = rejectEdit(r -> r.addProperty("formatVersion", 2));
        assertTrue(e.getMessage().contains("$.formatVersion = 2: unknown version"), e.getMessage());
    }

    @Test
    void truncatedFilesAreRejectedAtEveryCut() throws IOException {
        byte[] full = ModelWriter.toJson(TestModels.mlpFixed(2, 7, 3, 9)).getBytes(StandardCharsets.UTF_8);
        Path f = dir.resolve("t.json");
        int cuts = 0;
        for (int len = 0; len < full.length - 2; len += Math.max(1, full.length / 300)) {
            Files.write(f, java.util.Arrays.copyOf(full, len));
            ModelFormatException e =
                    assertThrows(ModelFormatException.class, () -> ModelReader.read(f), "cut at " + len);
            assertTrue(e.getMessage().contains("t.json"), e.getMessage());
            cuts++;
        }
        assertTrue(cuts >= 250, "cuts " + cuts);
    }

    @Test
    void shapeDisagreeingWithDataIsRejected() throws IOException {
        ModelFormatException e = rejectEdit(r -> {
            JsonArray s = new JsonArray();
            s.add(4);
            s.add(2);
            s.add(3);
            s.add(2);
            op(r, "conv1").getAsJsonObject("weights").add("shape", s);
        });
        assertTrue(
                e.getMessage().contains("$.ops[1].weights.shape = [4, 2, 3, 2], expected [4, 2, 3, 3]"),
                e.getMessage());
        e = rejectEdit(r -> op(r, "conv1")
                .getAsJsonObject("weights")
                .addProperty("data", Base64.getEncoder().encodeToString(new byte[4 * 4 * 2 * 9 - 4])));
        assertTrue(
                e.getMessage()
                        .contains(
                                "$.ops[1].weights.data: 380 base64 characters, but shape [4, 2, 3, 3] of int32 needs 384"),
                e.getMessage());
        e = rejectEdit(r -> op(r, "dense1").addProperty("inFeatures", 17));
        assertTrue(e.getMessage().contains("weights.shape"), e.getMessage());
    }

    @Test
    void absurdDeclaredSizesAreRejectedBeforeAllocating() throws IOException {
        ModelFormatException e = rejectEdit(r -> {
            JsonObject d = op(r, "dense1");
            d.addProperty("inFeatures", 2_000_000_000);
            d.addProperty("outFeatures", 2_000_000_000);
        });
        assertTrue(e.getMessage().contains("elements"), e.getMessage());
        e = rejectEdit(r -> {
            JsonArray s = new JsonArray();
            s.add(2);
            s.add(1 << 20);
            s.add(1 << 20);
            r.getAsJsonObject("input").add("shape", s);
        });
        assertTrue(e.getMessage().contains("$.input.shape"), e.getMessage());
        Path big = dir.resolve("big.json");
        Files.write(big, new byte[2048]);
        e = assertThrows(ModelFormatException.class, () -> ModelReader.read(big, 1024));
        assertTrue(e.getMessage().contains("2048 bytes, above the cap of 1024"), e.getMessage());
    }

    @Test
    void graphErrorsNameTheOp() throws IOException {
        ModelFormatException e = rejectEdit(r -> {
            JsonArray in = new JsonArray();
            in.add("nope");
            op(r, "r1").add("inputs", in);
        });
        assertTrue(e.getMessage().contains("input tensor 'nope' is not defined"), e.getMessage());
        e = rejectEdit(r -> op(r, "q1").addProperty("rounding", "ROUND_HALF_WHATEVER"));
        assertTrue(e.getMessage().contains("rounding = 'ROUND_HALF_WHATEVER'"), e.getMessage());
        e = rejectEdit(r -> op(r, "avg1").add("window", JsonParser.parseString("[3, 1]")));
        assertTrue(e.getMessage().contains("power-of-two"), e.getMessage());
        e = rejectEdit(r -> op(r, "conv1").addProperty("accumulatorBits", 99));
        assertTrue(e.getMessage().contains("accumulatorBits = 99"), e.getMessage());
        e = rejectEdit(r -> op(r, "conv1").remove("weights"));
        assertTrue(e.getMessage().contains("$.ops[1].weights: missing"), e.getMessage());
    }

    @Test
    void garbageIsRejected() throws IOException {
        Path f = dir.resolve("g.json");
        Random rnd = new Random(1);
        for (int t = 0; t < 50; t++) {
            byte[] b = new byte[rnd.nextInt(400)];
            rnd.nextBytes(b);
            Files.write(f, b);
            assertThrows(ModelFormatException.class, () -> ModelReader.read(f));
        }
        Files.writeString(f, "[1,2,3]");
        assertThrows(ModelFormatException.class, () -> ModelReader.read(f));
        Files.writeString(f, "{\"format\":\"x\"}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelReader.read(f));
        assertTrue(e.getMessage().contains("$.format = 'x'"), e.getMessage());
    }

    @Test
    void granularityExpandsPerChannel() {
        int[] v = Granularity.expand(new int[] {1, 2}, new int[] {2, 3}, "t");
        assertArrayEquals(new int[] {1, 1, 1, 2, 2, 2}, v);
        assertThrows(ModelFormatException.class, () -> Granularity.expand(new int[] {1, 2, 3}, new int[] {2, 3}, "t"));
    }
}
