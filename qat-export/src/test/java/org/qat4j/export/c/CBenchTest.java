package org.qat4j.export.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.Predictions;
import org.qat4j.export.Toolchain;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.TestModels;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * The C bench driver computes what the Java runtime computes (its raw output file equals the runtime's
 * float32 bits on random and adversarial inputs) and reports positive times; a bad argument is refused
 * with exit code 2. No time is asserted.
 */
class CBenchTest {

    @TempDir
    Path tmp;

    @Test
    void benchDriverOutputsAreTheRuntimesBits() throws IOException {
        IntegerModel m = AccumulatorWidths.deriveMinimal(TestModels.mlpFixed(1, 16, 12, 8, 5));
        String cert = CertificateWriter.toJson(CertificateProver.prove(m));
        CExporter.export(
                m,
                CertifiedWidths.check(m, cert, "certificate"),
                "m",
                tmp,
                "model.json",
                "0".repeat(64),
                "0".repeat(64));
        Path exe = CBench.build(tmp, "m", true);
        float[] x = Predictions.testInputs(m, 100, 100, 5);
        int samples = x.length / 16;
        ByteBuffer in = ByteBuffer.allocate(x.length * 4).order(ByteOrder.nativeOrder());
        in.asFloatBuffer().put(x);
        Files.write(tmp.resolve("in.f32"), in.array());
        double[] us = CBench.run(exe, tmp.resolve("in.f32"), samples, samples, 0.01, tmp.resolve("out.bin"));
        assertTrue(us[0] > 0 && us[1] > 0, Arrays.toString(us));
        float[] java = IntegerRuntime.compile(m).runFloat(x, samples);
        ByteBuffer out =
                ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("out.bin"))).order(ByteOrder.nativeOrder());
        int[] c = new int[out.remaining() / 4];
        out.asIntBuffer().get(c);
        int[] j = new int[java.length];
        for (int i = 0; i < j.length; i++) {
            j[i] = Float.floatToRawIntBits(java[i]);
        }
        assertArrayEquals(j, c);
        Toolchain.Result bad = Toolchain.run(
                List.of(exe.toString(), tmp.resolve("in.f32").toString(), "4", "5", "0", "o"), tmp, null, 60);
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().contains("SAMPLES 4, BATCH 5: need 1 <= BATCH <= SAMPLES"), bad.stderr());
    }
}
