package org.qat4j.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.runtime.fixed.SparqWindow;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.ModelReader;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeScaledOp;
import org.qat4j.runtime.model.RangeAnalysis;
import org.qat4j.runtime.model.SparqModels;
import org.qat4j.runtime.model.SparqOp;

/** The runtime's {@code sparq} op: every 8-bit activation pair, every variant; conv/dense models against a plain reference. */
class SparqKernelTest {

    @Test
    void everyEightBitPairForEveryVariantFollowsTheDefinition() {
        float[] x = new float[2 * 65536];
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                x[2 * (a * 256 + b)] = a;
                x[2 * (a * 256 + b) + 1] = b;
            }
        }
        for (int count : new int[] {5, 3, 2}) {
            for (boolean rounding : new boolean[] {false, true}) {
                SparqWindow t = new SparqWindow(8, 4, SparqWindow.placements(8, 4, count), rounding);
                for (boolean pairs : new boolean[] {false, true}) {
                    long[] y = IntegerRuntime.compile(SparqModels.pair(count, rounding, pairs))
                            .runInt(x, 65536);
                    int kept = 0;
                    for (int a = 0; a < 256; a++) {
                        for (int b = 0; b < 256; b++) {
                            int s = a * 256 + b;
                            boolean keep = pairs && (a == 0 || b == 0);
                            kept += keep ? 1 : 0;
                            assertEquals(
                                    keep ? a : t.trim(a),
                                    y[2 * s],
                                    count + "opt " + rounding + " " + pairs + " (" + a + ", " + b + ")");
                            assertEquals(
                                    keep ? b : t.trim(b),
                                    y[2 * s + 1],
                                    count + "opt " + rounding + " " + pairs + " (" + a + ", " + b + ")");
                        }
                    }
                    assertEquals(pairs ? 511 : 0, kept);
                }
            }
        }
    }

    @Test
    void convAndDenseModelsPairAlongAxisZeroAndLeaveAnOddLastChannelAlone() {
        Random rnd = new Random(3);
        for (boolean pairs : new boolean[] {false, true}) {
            IntegerModel conv = SparqModels.conv(4, 3, true, pairs);
            float[] x = new float[20 * 80];
            for (int t = 0; t < x.length; t++) {
                // a third zeros (below half a step after the ReLU-like clamp), the rest across the 8-bit range
                x[t] = rnd.nextInt(3) == 0 ? -1f : rnd.nextFloat() * 9f;
            }
            IntegerRuntime rt = IntegerRuntime.compile(conv);
            Map<String, Object> trace = rt.trace(x, 20);
            long[] q = (long[]) trace.get("q");
            long[] sp = (long[]) trace.get("sp");
            SparqWindow t = new SparqWindow(8, 4, SparqWindow.placements(8, 4, 3), true);
            for (int b = 0; b < 20; b++) {
                for (int c = 0; c < 5; c++) {
                    for (int i = 0; i < 16; i++) {
                        int e = b * 80 + c * 16 + i;
                        long mine = q[e];
                        boolean keep;
                        if (c == 4) {
                            keep = pairs;
                        } else {
                            long partner = q[b * 80 + (c ^ 1) * 16 + i];
                            keep = pairs && (mine == 0 || partner == 0);
                        }
                        assertEquals(
                                keep ? mine : t.trim(mine),
                                sp[e],
                                "pairs " + pairs + " sample " + b + " channel " + c + " pos " + i);
                    }
                }
            }
            // the certified range of the conv's input covers what the runtime fed it
            long[][] r = RangeAnalysis.of(conv).range("sp");
            for (int e = 0; e < sp.length; e++) {
                assertTrue(sp[e] >= r[0][e % 80] && sp[e] <= r[1][e % 80]);
            }
        }
        IntegerModel dense = SparqModels.dense(5, 5, false, true);
        long[][] r = RangeAnalysis.of(dense).range("sp");
        // inputs in [0, 31]: kept values up to 31, trimmed t(31) = 30 (5opt, truncation); the odd last feature is never
        // trimmed
        assertEquals(31, r[1][0]);
        assertEquals(0, r[0][0]);
    }

    @Test
    void fileRoundTripKeepsTheOpAndASignedInputIsRefused(@TempDir Path dir) throws Exception {
        IntegerModel m = SparqModels.conv(1, 2, false, true);
        Path f = dir.resolve("m.json");
        ModelWriter.write(m, f);
        IntegerModel back = ModelReader.read(f);
        assertEquals(m.ops().get(1), back.ops().get(1));
        assertTrue(Files.readString(f).contains("\"placements\""));
        String bad = Files.readString(f).replace("\"windowBits\": 4", "\"windowBits\": 9");
        Files.writeString(f, bad);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelReader.read(f));
        assertTrue(e.getMessage().contains("windowBits = 9"), e.getMessage());

        IntegerModel signed = IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("sparq"))
                .setInput("x", 2)
                .addOp(new QuantizeScaledOp("q", "x", 1f, 8, true, false))
                .addOp(SparqModels.op("sp", "q", 5, false, true))
                .setOutput("sp")
                .build();
        ModelFormatException s = assertThrows(ModelFormatException.class, () -> IntegerRuntime.compile(signed));
        assertTrue(s.getMessage().contains("not within [0, 255]"), s.getMessage());
        assertTrue(new SparqOp("a", "b", 8, 4, new int[] {0, 4}, false, false)
                        .window()
                        .trim(255)
                == 240);
    }
}
