package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.exec.IntegerRuntime;
import org.qat4j.runtime.fixed.OverflowMode;
import org.qat4j.runtime.fixed.RoundingMode;
import org.qat4j.runtime.model.AccumulatorWidths;
import org.qat4j.runtime.model.DenseOp;
import org.qat4j.runtime.model.DequantizeFixedOp;
import org.qat4j.runtime.model.FixedFormats;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelWriter;
import org.qat4j.runtime.model.Provenance;
import org.qat4j.runtime.model.QuantizeFixedOp;
import org.qat4j.runtime.model.ReluOp;
import org.qat4j.runtime.model.RequantizeFixedOp;
import org.qat4j.runtime.model.TestVectors;
import org.qat4j.runtime.prove.CertificateProver;

class VerifyCommandTest {
    @TempDir
    Path dir;

    private static IntegerModel model(boolean withVectors, float perturb) {
        Random rnd = new Random(5);
        int[] w1 = new int[8 * 6];
        int[] w2 = new int[6 * 3];
        for (int t = 0; t < w1.length; t++) {
            w1[t] = rnd.nextInt(31) - 15;
        }
        for (int t = 0; t < w2.length; t++) {
            w2[t] = rnd.nextInt(31) - 15;
        }
        IntegerModel m = AccumulatorWidths.deriveMinimal(IntegerModel.builder()
                .setProvenance(Provenance.handBuilt("HGQ"))
                .setInput("x", 8)
                .addOp(new QuantizeFixedOp(
                        "q0",
                        "x",
                        FixedFormats.of(new int[] {1}, new int[] {2}, new int[] {4}, "f"),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new DenseOp("d1", "q0", 8, 6, w1, null, 64, null))
                .addOp(new ReluOp("r1", "d1"))
                .addOp(new RequantizeFixedOp(
                        "q1",
                        "r1",
                        new int[] {7},
                        FixedFormats.of(new int[] {0}, new int[] {3}, new int[] {3}, "f"),
                        RoundingMode.RND,
                        OverflowMode.SAT))
                .addOp(new DenseOp("d2", "q1", 6, 3, w2, null, 64, null))
                .addOp(new DequantizeFixedOp("out", "d2", new int[] {6}))
                .setOutput("out")
                .build());
        if (!withVectors) {
            return m;
        }
        float[] x = new float[20 * 8];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) rnd.nextGaussian() * 2;
        }
        float[] y = IntegerRuntime.compile(m).runFloat(x, 20);
        y[7] += perturb;
        return m.toBuilder()
                .optTestVectors(new TestVectors("hand-computed", 20, x, y, null))
                .build();
    }

    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = QatCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path[] write(IntegerModel m) throws IOException {
        Path mf = dir.resolve("model.json");
        Path cf = dir.resolve("certificate.json");
        ModelWriter.write(m, mf);
        CertificateWriter.write(CertificateProver.prove(m), cf);
        return new Path[] {mf, cf};
    }

    @Test
    void verifiedModelExitsZeroAndPrintsTheTable() throws IOException {
        Path[] f = write(model(true, 0f));
        Run r = run("verify", "--model", f[0].toString(), "--certificate", f[1].toString(), "--samples", "200");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("d1 ") && r.out.contains("d2 ") && r.out.contains("holds"), r.out);
        assertTrue(
                r.out.contains("20 recorded vectors, 0 mismatching elements; 200 generated samples, 0 mismatching"),
                r.out);
        assertTrue(r.out.contains("VERIFIED"), r.out);
    }

    @Test
    void wrongRecordedOutputFailsTheSelfCheck() throws IOException {
        Path[] f = write(model(true, 1e-3f));
        Run r = run("verify", "--model", f[0].toString(), "--certificate", f[1].toString(), "--samples", "10");
        assertEquals(1, r.code, r.out);
        assertTrue(r.out.contains("first mismatch: recorded vector 2, output element 1"), r.out);
    }

    @Test
    void staleCertificateFails() throws IOException {
        Path[] f = write(model(false, 0f));
        IntegerModel m = model(false, 0f);
        DenseOp d = (DenseOp) m.op("d2");
        int[] w = d.weights();
        w[0] += 1;
        ModelWriter.write(AccumulatorWidths.replace(m, "d2", AccumulatorWidths.withWeights(d, w)), f[0]);
        Run r = run("verify", "--model", f[0].toString(), "--certificate", f[1].toString(), "--samples", "10");
        assertEquals(1, r.code, r.out);
        assertTrue(r.out.contains("STALE layer 'd2' channel 0"), r.out);
        assertTrue(r.out.contains("NOT VERIFIED"), r.out);
    }

    @Test
    void aModelThatOverflowsAtRunTimeEndsWithTheVerdictNotAStackTrace() throws IOException {
        Path[] f = write(model(true, 0f));
        IntegerModel m = model(true, 0f);
        DenseOp d = (DenseOp) m.op("d1");
        int[] w = d.weights().clone();
        java.util.Arrays.fill(w, 1 << 20);
        ModelWriter.write(AccumulatorWidths.replace(m, "d1", AccumulatorWidths.withWeights(d, w)), f[0]);
        Run r = run("verify", "--model", f[0].toString(), "--certificate", f[1].toString(), "--samples", "10");
        assertEquals(1, r.code, r.out + r.err);
        assertTrue(r.out.contains("REJECTED"), r.out);
        assertTrue(r.out.endsWith("NOT VERIFIED\n"), r.out);
        assertTrue(!r.err.contains("\tat ") && !r.out.contains("\tat "), r.err);
    }

    @Test
    void certifyThenVerify() throws IOException {
        Path mf = dir.resolve("m.json");
        ModelWriter.write(model(true, 0f), mf);
        Path cf = dir.resolve("sub/c.json");
        Run c = run("certify", "--model", mf.toString(), "--out", cf.toString());
        assertEquals(0, c.code, c.out + c.err);
        assertTrue(c.out.contains("d1 ") && c.out.contains("holds"), c.out);
        Run v = run("verify", "--model", mf.toString(), "--certificate", cf.toString(), "--samples", "50");
        assertEquals(0, v.code, v.out);
    }

    @Test
    void missingFileExitsThreeNamingTheOption() throws IOException {
        Path[] f = write(model(false, 0f));
        Run r = run("verify", "--model", dir.resolve("nope.json").toString(), "--certificate", f[1].toString());
        assertEquals(3, r.code);
        assertTrue(r.err.contains("--model " + dir.resolve("nope.json") + ": no such file"), r.err);
        assertTrue(r.out.endsWith("NOT VERIFIED\n"), r.out);
        Files.writeString(f[0], "{\"format\":");
        r = run("verify", "--model", f[0].toString(), "--certificate", f[1].toString());
        assertEquals(3, r.code);
        assertTrue(r.err.contains("malformed or truncated JSON"), r.err);
    }
}
