package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.recipe.UntrainedRecipeModels;
import org.qat4j.export.Predictions;
import org.qat4j.export.Register;
import org.qat4j.export.WidthsManifest;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelWriter;

/**
 * {@code qat export-c}, {@code qat predict}, {@code qat simulate --c} and {@code qat verify --generated}
 * on the jets recipe's model: the simulated C prints exactly what predict prints; verify accepts the
 * export and rejects a hand-narrowed accumulator, a foreign model and a missing file with exit code 2.
 */
class ExportCCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = QatCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void exportPredictSimulateAndVerify() throws IOException {
        IntegerModel m = UntrainedRecipeModels.of("hgq-jets", 3);
        Path mf = dir.resolve("model.json");
        ModelWriter.write(m, mf);
        Path out = dir.resolve("c");
        Run e = run("export-c", "--model", mf.toString(), "--out", out.toString(), "--name", "jets");
        assertEquals(0, e.code(), e.err());
        for (String f : new String[] {"jets.h", "jets.c", "jets_main.c", "widths.json", "certificate.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        Path in = dir.resolve("in.csv");
        Files.write(
                in,
                Predictions.inputText(
                        Predictions.testInputs(m, 300, 300, 5),
                        m.tensor(m.inputName()).numel()));
        Run p = run("predict", "--model", mf.toString(), "--input", in.toString());
        Run s = run("simulate", "--c", out.toString(), "--input", in.toString());
        assertEquals(0, p.code(), p.err());
        assertEquals(0, s.code(), s.err());
        assertEquals(600, p.out().split("\n").length);
        assertEquals(p.out(), s.out());

        Path cert = out.resolve("certificate.json");
        Run v = run(
                "verify",
                "--model",
                mf.toString(),
                "--certificate",
                cert.toString(),
                "--generated",
                out.toString(),
                "--samples",
                "20");
        assertEquals(0, v.code(), v.out() + v.err());
        assertTrue(v.out().contains("MATCHES the model and certificate"), v.out());

        // narrow the widest accumulator by hand: int32_t -> int8_t
        Register widest = WidthsManifest.read(out).registers().stream()
                .max(Comparator.comparingInt(Register::neededBits))
                .orElseThrow();
        assertTrue(widest.neededBits() > 8, "the test needs an accumulator wider than 8 bits, got " + widest);
        Path c = out.resolve("jets.c");
        String src = Files.readString(c);
        String decl = (widest.declaredBits() == 32 ? "int32_t" : "int64_t") + " acc; /* qat4j-register " + widest.name()
                + " */";
        assertTrue(src.contains(decl), decl);
        Files.writeString(c, src.replace(decl, "int8_t acc; /* qat4j-register " + widest.name() + " */"));
        v = run(
                "verify",
                "--model",
                mf.toString(),
                "--certificate",
                cert.toString(),
                "--generated",
                out.toString(),
                "--samples",
                "20");
        assertEquals(1, v.code(), v.out());
        assertTrue(
                v.out()
                        .contains("register " + widest.name()
                                + " is declared 8 bits wide, the certificate proves it needs " + widest.neededBits()),
                v.out());
        assertTrue(v.out().contains("NOT VERIFIED"), v.out());
        Files.writeString(c, src);

        // another file of the same network (with recorded test vectors): the certificate still holds, the headers'
        // SHA-256 do not match
        Path other = dir.resolve("other.json");
        float[] x = Predictions.testInputs(m, 4, 0, 1);
        float[] y = org.qat4j.runtime.exec.IntegerRuntime.compile(m).runFloat(x, 4);
        ModelWriter.write(
                m.toBuilder()
                        .optTestVectors(new org.qat4j.runtime.model.TestVectors("runtime", 4, x, y, null))
                        .build(),
                other);
        v = run(
                "verify",
                "--model",
                other.toString(),
                "--certificate",
                cert.toString(),
                "--generated",
                out.toString(),
                "--samples",
                "0");
        assertEquals(1, v.code(), v.out());
        assertTrue(v.out().contains("header names model SHA-256"), v.out());

        Run missing = run(
                "verify",
                "--model",
                mf.toString(),
                "--certificate",
                cert.toString(),
                "--generated",
                dir.resolve("nope").toString());
        assertEquals(ExitCode.INPUT, missing.code(), missing.out());
        assertTrue(missing.err().contains("--generated " + dir.resolve("nope") + ": no such directory"), missing.err());

        // a second export into the same directory is refused and changes nothing
        Run again = run("export-c", "--model", mf.toString(), "--out", out.toString(), "--name", "jets");
        assertEquals(ExitCode.USAGE, again.code(), again.err());
        assertTrue(again.err().contains("--out " + out + ": exists and is not empty"), again.err());
        assertEquals(src, Files.readString(c));
    }

    @Test
    void exportVerilogSimulateAndVerify() throws IOException {
        IntegerModel m = UntrainedRecipeModels.of("hgq-jets", 4);
        Path mf = dir.resolve("model.json");
        ModelWriter.write(m, mf);
        Path out = dir.resolve("v");
        Run e = run(
                "export-verilog",
                "--model",
                mf.toString(),
                "--out",
                out.toString(),
                "--name",
                "jets",
                "--pipeline",
                "2");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("latency 1 cycles"), e.out());
        Path in = dir.resolve("in.csv");
        Files.write(
                in,
                Predictions.inputText(
                        Predictions.testInputs(m, 40, 40, 6),
                        m.tensor(m.inputName()).numel()));
        Run p = run("predict", "--model", mf.toString(), "--input", in.toString());
        Run s = run("simulate", "--verilog", out.toString(), "--model", mf.toString(), "--input", in.toString());
        assertEquals(0, s.code(), s.err());
        assertEquals(p.out(), s.out());
        Run v = run(
                "verify",
                "--model",
                mf.toString(),
                "--certificate",
                out.resolve("certificate.json").toString(),
                "--generated",
                out.toString(),
                "--samples",
                "20");
        assertEquals(0, v.code(), v.out() + v.err());
        Run noModel = run("simulate", "--verilog", out.toString(), "--input", in.toString());
        assertEquals(ExitCode.USAGE, noModel.code());
        assertTrue(noModel.err().contains("--verilog needs --model"), noModel.err());
    }

    @Test
    void badInputsAreNamedWithTheirExitCodes() throws IOException {
        Run r = run(
                "export-c",
                "--model",
                dir.resolve("none.json").toString(),
                "--out",
                dir.resolve("o").toString());
        assertEquals(ExitCode.INPUT, r.code());
        assertEquals(
                "qat export-c: --model " + dir.resolve("none.json") + ": no such file",
                r.err().strip());
        assertFalse(Files.exists(dir.resolve("o")), "a refused export writes nothing");
        r = run(
                "export-c",
                "--model",
                dir.resolve("none.json").toString(),
                "--out",
                dir.resolve("o").toString(),
                "--name",
                "9x");
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("--name 9x: not a C identifier"), r.err());
        r = run("predict", "--model", dir.resolve("none.json").toString());
        assertEquals(ExitCode.INPUT, r.code());
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "1,2\n");
        r = run("simulate", "--c", dir.resolve("none").toString(), "--input", in.toString());
        assertEquals(ExitCode.INPUT, r.code());
        assertEquals(
                "qat simulate: --c " + dir.resolve("none") + ": no such directory",
                r.err().strip());
        IntegerModel m = UntrainedRecipeModels.of("hgq-jets", 3);
        Path mf = dir.resolve("model.json");
        ModelWriter.write(m, mf);
        Files.writeString(in, "1,2\n");
        r = run("predict", "--model", mf.toString(), "--input", in.toString());
        assertEquals(ExitCode.INPUT, r.code());
        assertTrue(r.err().contains("--input " + in + " line 1: 2 values, the model takes 16"), r.err());
    }
}
