package org.qat4j.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.qat4j.export.ExportException;
import org.qat4j.export.GeneratedHeader;
import org.qat4j.export.ScratchDirectory;
import org.qat4j.export.Sha256;
import org.qat4j.export.Toolchain;
import org.qat4j.export.c.CCompiler;
import org.qat4j.export.verilog.VerilogSimulator;
import org.qat4j.runtime.model.IntegerModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat simulate --c DIR}: compiles the C export with gcc in a temporary directory (DIR is only
 * read), runs its driver on the input samples and prints its outputs in {@code qat predict}'s format,
 * so {@code cmp} decides against the Java runtime. {@code qat simulate --verilog DIR --model M}
 * quantizes the inputs with M's input op, simulates the RTL ({@link VerilogSimulator}: Icarus Verilog,
 * or Verilator) and dequantizes its output mantissas as M's final op defines. Exit codes ({@link ExitCode}): 0; 1 the code failed
 * to build or run; 3 a missing directory or input file.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description =
                "Run exported C (gcc) or Verilog (Icarus/Verilator) on input samples; print outputs as qat predict does.")
public final class SimulateCommand implements Callable<Integer> {

    static final class Target {
        @Option(
                names = "--c",
                paramLabel = "DIR",
                description = "Directory written by qat export-c (compiled with gcc).")
        Path c;

        @Option(
                names = "--verilog",
                paramLabel = "DIR",
                description = "Directory written by qat export-verilog (needs --model).")
        Path verilog;
    }

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(
            names = "--model",
            description =
                    "--verilog: the model the RTL came from (its input quantizer and final dequantize run in Java).")
    Path model;

    @Option(
            names = "--simulator",
            defaultValue = "ICARUS",
            description = "--verilog: ICARUS (iverilog/vvp, default) or VERILATOR (slower to build, faster to run).")
    VerilogSimulator.Simulator simulator;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE",
            description = "Input samples, one per line (comma-separated float32).")
    Path input;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private int simulateVerilog(Path dir) throws IOException {
        if (model == null) {
            throw UserError.usage("--verilog needs --model (the model file the RTL was exported from)");
        }
        if (!Files.isDirectory(dir)) {
            throw UserError.input("--verilog " + dir + ": no such directory", null);
        }
        IntegerModel m = ModelFiles.read("--model", model);
        String sha = Sha256.of(model);
        Path ports = dir.resolve("ports.json");
        byte[] out;
        try {
            String module = VerilogSimulator.ports(dir).module();
            String header = Files.readString(dir.resolve(module + ".v"));
            if (!sha.equalsIgnoreCase(String.valueOf(GeneratedHeader.value(header, GeneratedHeader.MODEL_KEY)))) {
                throw UserError.usage("--model " + model + " (SHA-256 " + sha + ") is not the model "
                        + dir.resolve(module + ".v") + " was generated from");
            }
            out = VerilogSimulator.run(
                    dir,
                    m,
                    PredictCommand.readInputs(
                            "--input", input, m.tensor(m.inputName()).numel()),
                    simulator);
        } catch (ExportException e) {
            throw UserError.of(ExitCode.FAILED, e.getMessage() + " (" + ports + ")", e);
        }
        spec.commandLine().getOut().print(new String(out, StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(input)) {
            throw UserError.input("--input " + input + ": no such file", null);
        }
        if (target.verilog != null) {
            return simulateVerilog(target.verilog);
        }
        Path c = target.c;
        if (!Files.isDirectory(c)) {
            throw UserError.input("--c " + c + ": no such directory", null);
        }
        List<Path> drivers;
        try (Stream<Path> s = Files.list(c)) {
            drivers = s.filter(p -> p.getFileName().toString().endsWith("_main.c"))
                    .toList();
        }
        if (drivers.size() != 1) {
            throw UserError.input(
                    "--c " + c + ": holds " + drivers.size()
                            + " drivers (*_main.c), expected the one qat export-c writes",
                    null);
        }
        String f = drivers.get(0).getFileName().toString();
        String name = f.substring(0, f.length() - "_main.c".length());
        java.util.Map<String, byte[]> sources = new java.util.LinkedHashMap<>();
        for (String src : List.of(name + ".h", name + ".c", name + "_main.c")) {
            sources.put(src, Files.readAllBytes(c.resolve(src)));
        }
        try (ScratchDirectory scratch = ScratchDirectory.create("qat-simulate-c", sources)) {
            Path build = scratch.path();
            Toolchain.Result r;
            try {
                r = CCompiler.run(CCompiler.compile(build, name, name, List.of()), Files.readAllBytes(input));
            } catch (ExportException e) {
                throw UserError.of(ExitCode.FAILED, e.getMessage(), e);
            }
            if (r.exitCode() != 0) {
                throw UserError.of(
                        ExitCode.FAILED,
                        name + "_main exited with " + r.exitCode() + ": "
                                + r.stderr().strip(),
                        null);
            }
            spec.commandLine().getOut().print(new String(r.stdout(), StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }
}
