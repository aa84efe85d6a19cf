package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.qat4j.export.ExportException;
import org.qat4j.export.Toolchain;
import org.qat4j.export.c.CCompiler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat simulate}: runs generated code on float inputs and prints its outputs in
 * {@code qat predict}'s format, so {@code cmp} decides against the Java runtime. {@code --c DIR}
 * compiles the C export with gcc (in a temporary directory; DIR is only read) and runs its driver.
 * Exit codes: 0; 1 the generated code failed to build or run; 2 a bad option or file.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run exported C (gcc) on input samples; print outputs as qat predict does.")
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--c", required = true, paramLabel = "DIR", description = "Directory written by qat export-c.")
    Path c;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Input samples, one per line (comma-separated float32).")
    Path input;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(input)) {
            err.println("--input: no such file: " + input);
            return 2;
        }
        try {
            byte[] out = simulateC(c, err);
            if (out == null) {
                return 2;
            }
            spec.commandLine().getOut().print(new String(out, StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (ExportException e) {
            err.println("qat simulate: " + e.getMessage());
            return 1;
        }
    }

    private byte[] simulateC(Path dir, PrintWriter err) throws IOException {
        List<Path> drivers;
        try (Stream<Path> s = Files.list(dir)) {
            drivers = s.filter(p -> p.getFileName().toString().endsWith("_main.c")).toList();
        } catch (NoSuchFileException e) {
            err.println("--c: no such directory: " + dir);
            return null;
        }
        if (drivers.size() != 1) {
            err.println("--c: " + dir + " holds " + drivers.size() + " drivers (*_main.c), expected the one qat export-c writes");
            return null;
        }
        String f = drivers.get(0).getFileName().toString();
        String name = f.substring(0, f.length() - "_main.c".length());
        Path build = Files.createTempDirectory("qat-simulate-c");
        try {
            for (String src : List.of(name + ".h", name + ".c", name + "_main.c")) {
                Files.copy(dir.resolve(src), build.resolve(src));
            }
            Path exe = CCompiler.compile(build, name, name, List.of());
            Toolchain.Result r = CCompiler.run(exe, Files.readAllBytes(input));
            if (r.exitCode() != 0) {
                throw new ExportException(name + "_main exited with " + r.exitCode() + ": " + r.stderr().strip());
            }
            return r.stdout();
        } finally {
            try (Stream<Path> s = Files.walk(build)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
