package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code qat quantize-weights} in-process on .npy files written by the test. */
class QuantizeWeightsCommandTest {

    @TempDir
    Path dir;

    static byte[] npy(String descr, long[] shape, float[] data, int bytesPerValue) {
        StringBuilder s = new StringBuilder();
        for (long d : shape) {
            s.append(d).append(", ");
        }
        String shapeText = "(" + (shape.length == 1 ? shape[0] + "," : s.substring(0, s.length() - 2)) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length * bytesPerValue)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float f : data) {
            if (bytesPerValue == 4) {
                b.putFloat(f);
            } else {
                b.putDouble(f);
            }
        }
        return b.array();
    }

    static JsonObject sample() throws Exception {
        try (var r = new InputStreamReader(
                QuantizeWeightsCommandTest.class.getResourceAsStream("/a2q-brevitas-sample.json"),
                StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(r).getAsJsonObject();
        }
    }

    /** All 16 reference states (8 cases × default / EP-init) reproduced through the command line, integer for integer. */
    @Test
    void reproducesTheReferenceSampleThroughTheCommandLine() throws Exception {
        JsonObject sample = sample();
        JsonArray wf = sample.getAsJsonArray("weight_float");
        float[] w = new float[wf.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = wf.get(i).getAsFloat();
        }
        Path npy = dir.resolve("w.npy");
        Files.write(npy, npy("<f4", new long[] {8, 64}, w, 4));
        int compared = 0;
        int mismatches = 0;
        for (var e : sample.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            for (boolean ep : new boolean[] {false, true}) {
                Path out = dir.resolve("out.json");
                List<String> args = new ArrayList<>(List.of(
                        "quantize-weights",
                        "--method",
                        c.get("quantizer").getAsString().toLowerCase(),
                        "--weights",
                        npy.toString(),
                        "--acc-bits",
                        c.get("accumulator_bit_width").getAsString(),
                        "--input-bits",
                        c.get("input_bit_width").getAsString(),
                        "--weight-bits",
                        "8",
                        "--out",
                        out.toString()));
                if (c.get("input_signed").getAsBoolean()) {
                    args.add("--input-signed");
                }
                if (ep) {
                    args.add("--ep-init");
                }
                CliCapture r = CliCapture.run(args.toArray(new String[0]));
                assertEquals(0, r.code(), r.err());
                JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
                JsonObject ref = c.getAsJsonObject(ep ? "ep_init" : "default_init");
                assertEquals(ref.get("bound_T").getAsFloat(), json.get("bound").getAsFloat());
                JsonArray refInts = ref.getAsJsonArray("int_weight");
                JsonArray channels = json.getAsJsonArray("channels");
                assertEquals(8, channels.size());
                for (int ch = 0; ch < 8; ch++) {
                    JsonObject o = channels.get(ch).getAsJsonObject();
                    JsonArray ints = o.getAsJsonArray("intWeights");
                    long l1 = 0;
                    for (int i = 0; i < 64; i++) {
                        compared++;
                        long q = ints.get(i).getAsLong();
                        l1 += Math.abs(q);
                        if (q != refInts.get(ch * 64 + i).getAsLong()) {
                            mismatches++;
                        }
                    }
                    assertEquals(l1, o.get("l1").getAsLong());
                    assertEquals(o.get("posSum").getAsLong() + o.get("negSum").getAsLong(), l1);
                    assertEquals(
                            ref.getAsJsonArray("clamp_active").get(ch).getAsBoolean(),
                            o.get("clampActive").getAsBoolean());
                    assertEquals(
                            ref.getAsJsonArray("scale").get(ch).getAsFloat(),
                            o.get("scale").getAsFloat());
                    assertEquals(
                            ref.getAsJsonArray("pre_scale").get(ch).getAsFloat(),
                            o.get("preScale").getAsFloat());
                }
            }
        }
        assertEquals(16 * 512, compared);
        assertEquals(0, mismatches, "integer weights differing from the reference");
    }

    @Test
    void rank4ConvolutionWeights() throws Exception {
        float[] w = new float[4 * 3 * 3 * 3];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        Path npy = dir.resolve("conv.npy");
        Files.write(npy, npy("<f4", new long[] {4, 3, 3, 3}, w, 4));
        Path out = dir.resolve("sub/conv.json");
        CliCapture r = CliCapture.run(
                "quantize-weights",
                "--method",
                "a2q+",
                "--weights",
                npy.toString(),
                "--acc-bits",
                "12",
                "--input-bits",
                "4",
                "--weight-bits",
                "6",
                "--ep-init",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertEquals(4, json.getAsJsonArray("channels").size());
        assertEquals(
                27,
                json.getAsJsonArray("channels")
                        .get(0)
                        .getAsJsonObject()
                        .getAsJsonArray("intWeights")
                        .size());
        assertTrue(json.get("minAccBits").getAsInt() <= 12);
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void badInputGetsAClearErrorAndNonZeroExit() throws Exception {
        Path f64 = dir.resolve("w64.npy");
        Files.write(f64, npy("<f8", new long[] {2, 2}, new float[4], 8));
        Path r3 = dir.resolve("r3.npy");
        Files.write(r3, npy("<f4", new long[] {2, 2, 2}, new float[8], 4));
        Path ok = dir.resolve("ok.npy");
        Files.write(ok, npy("<f4", new long[] {2, 2}, new float[] {1, -1, 0.5f, 0.25f}, 4));
        Path out = dir.resolve("o.json");
        assertFails(
                CliCapture.run(
                        "quantize-weights",
                        "--method",
                        "a2q",
                        "--weights",
                        f64.toString(),
                        "--acc-bits",
                        "16",
                        "--input-bits",
                        "8",
                        "--weight-bits",
                        "8",
                        "--out",
                        out.toString()),
                "'<f8'");
        assertFails(
                CliCapture.run(
                        "quantize-weights",
                        "--method",
                        "a2q",
                        "--weights",
                        r3.toString(),
                        "--acc-bits",
                        "16",
                        "--input-bits",
                        "8",
                        "--weight-bits",
                        "8",
                        "--out",
                        out.toString()),
                "rank is 3");
        assertFails(
                CliCapture.run(
                        "quantize-weights",
                        "--method",
                        "a2q",
                        "--weights",
                        dir.resolve("nope.npy").toString(),
                        "--acc-bits",
                        "16",
                        "--input-bits",
                        "8",
                        "--weight-bits",
                        "8",
                        "--out",
                        out.toString()),
                "not found");
        assertFails(
                CliCapture.run(
                        "quantize-weights",
                        "--method",
                        "a2q",
                        "--weights",
                        ok.toString(),
                        "--acc-bits",
                        "8",
                        "--input-bits",
                        "8",
                        "--weight-bits",
                        "8",
                        "--out",
                        out.toString()),
                "too small for any non-zero");
        assertFails(
                CliCapture.run(
                        "quantize-weights",
                        "--method",
                        "a2q+",
                        "--weights",
                        ok.toString(),
                        "--acc-bits",
                        "8",
                        "--input-bits",
                        "8",
                        "--weight-bits",
                        "8",
                        "--out",
                        out.toString()),
                "too small for any non-zero");
        assertFails(
                CliCapture.run(
                        "quantize-weights",
                        "--method",
                        "hgq",
                        "--weights",
                        ok.toString(),
                        "--acc-bits",
                        "16",
                        "--input-bits",
                        "8",
                        "--weight-bits",
                        "8",
                        "--out",
                        out.toString()),
                "method");
        assertFalse(Files.exists(out), "no output on failure");
    }

    static void assertFails(CliCapture r, String part) {
        assertTrue(r.code() != 0, "exit code " + r.code());
        assertTrue(r.err().contains(part), "stderr '" + r.err() + "' lacks '" + part + "'");
    }
}
