package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qat4j.examples.recipe.UntrainedRecipeModels;
import org.qat4j.export.CertifiedWidths;
import org.qat4j.export.ExportException;
import org.qat4j.export.Predictions;
import org.qat4j.export.verilog.VerilatorLint;
import org.qat4j.export.verilog.VerilogExporter;
import org.qat4j.export.verilog.VerilogSimulator;
import org.qat4j.runtime.cert.CertificateWriter;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.prove.CertificateProver;

/**
 * The Verilog export of every fixed-point recipe's model (the recipe's own network, initialized and
 * calibrated as in {@link RecipeModelsCExportTest}) equals the Java runtime bit for bit on recorded, random
 * and adversarial inputs: jets (also clean under {@code verilator --lint-only -Wall}) on Verilator, the
 * 784-64-10 MLP and the CNN on Icarus; the A2Q+ recipe's model is refused naming its float-scaled op.
 * The trained models are simulated on more inputs by {@code docs/scripts/simulation-table.sh}.
 */
class RecipeModelsVerilogExportTest {

    @TempDir
    Path tmp;

    private Path export(IntegerModel m, String name, int pipeline) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name + "-" + pipeline));
        String cert = CertificateWriter.toJson(CertificateProver.prove(m));
        VerilogExporter.export(
                m,
                CertifiedWidths.check(m, cert, "certificate"),
                "net",
                pipeline,
                d,
                "model.json",
                "0".repeat(64),
                "0".repeat(64));
        return d;
    }

    /**
     * The jets network (4,256 weights; untrained, so 8–11-bit weights: 449 KB of Verilog), on Verilator: its
     * C++ build costs about 27 CPU-seconds whatever the number of samples, while Icarus simulates each
     * sample event by event at about 0.5 CPU-second (200 samples: 106 CPU-seconds, 543 s wall at load 12),
     * so Verilator runs 2,000 inputs here for a quarter of what Icarus took for 200.
     */
    @Test
    void jetsVerilogEqualsRuntime() throws IOException {
        IntegerModel m = UntrainedRecipeModels.of("hgq-jets", 5);
        Path d = export(m, "hgq-jets", 0);
        assertEquals(java.util.List.of(), VerilatorLint.run(d, "net", 900));
        float[] x = Predictions.testInputs(m, 1000, 1000, 29);
        byte[] rtl = VerilogSimulator.run(d, m, x, VerilogSimulator.Simulator.VERILATOR);
        assertNull(Predictions.firstDifference(Predictions.predict(m, x), rtl, "Java runtime", "Verilator"));
        assertEquals(x.length / m.tensor(m.inputName()).numel(), new String(rtl).split("\n").length);
    }

    /**
     * The default recipe's 784-64-10 (50,816 weights; untrained, 8–11-bit weights: 5.4 MB of Verilog) and
     * the HGQ CNN (21.6 MB), each simulated by Icarus Verilog on up to 8 recorded test vectors (the untrained
     * models have none) and 6 random and 6 adversarial inputs: Icarus evaluates every adder of these designs
     * for each sample (about 0.5 and 5 CPU-seconds per sample), so the trained models are run on more inputs by
     * {@code docs/scripts/simulation-table.sh} (docs/results.md).
     */
    @ParameterizedTest
    @ValueSource(strings = {"hgq-fashion-mlp", "hgq-fashion-cnn"})
    void fashionVerilogEqualsRuntimeOnIcarus(String recipe) throws IOException {
        IntegerModel m = UntrainedRecipeModels.of(recipe, 5);
        Path d = export(m, recipe, 0);
        float[] x = Predictions.testInputs(m, 8, 6, 6, 31);
        byte[] rtl = VerilogSimulator.run(d, m, x, VerilogSimulator.Simulator.ICARUS);
        assertNull(Predictions.firstDifference(Predictions.predict(m, x), rtl, "Java runtime", "Icarus Verilog"));
        assertEquals(x.length / m.tensor(m.inputName()).numel(), new String(rtl).split("\n").length);
    }

    @Test
    void a2qPlusCnnIsRefusedNamingTheOp() {
        IntegerModel m = UntrainedRecipeModels.of("a2q-fashion-cnn", 5);
        String cert = CertificateWriter.toJson(CertificateProver.prove(m));
        ExportException e = assertThrows(
                ExportException.class,
                () -> VerilogExporter.generate(m, CertifiedWidths.check(m, cert, "c"), "net", 0, "m.json", "0", "0"));
        assertTrue(e.getMessage().startsWith("op '" + m.ops().get(0).name() + "' (quantize_scaled)"), e.getMessage());
    }
}
