package org.qat4j.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.qat4j.export.ExportException;
import org.qat4j.export.Toolchain;
import org.qat4j.export.c.CCompiler;
import org.qat4j.runtime.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qat simulate --c DIR}: compiles the C export with gcc in a temporary directory (DIR is only
 * read), runs its driver on the input samples and prints its outputs in {@code qat predict}'s format,
 * so {@code cmp} decides against the Java runtime. Exit codes ({@link ExitCode}): 0; 1 the code failed
 * to build or run; 3 a missing directory or input file.
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
        if (!Files.isRegularFile(input)) {
            throw UserError.input("--input " + input + ": no such file", null);
        }
        if (!Files.isDirectory(c)) {
            throw UserError.input("--c " + c + ": no such directory", null);
        }
        List<Path> drivers;
        try (Stream<Path> s = Files.list(c)) {
            drivers = s.filter(p -> p.getFileName().toString().endsWith("_main.c")).toList();
        }
        if (drivers.size() != 1) {
            throw UserError.input("--c " + c + ": holds " + drivers.size() + " drivers (*_main.c), expected the one qat export-c writes", null);
        }
        String f = drivers.get(0).getFileName().toString();
        String name = f.substring(0, f.length() - "_main.c".length());
        Path build = Files.createTempDirectory("qat-simulate-c");
        try {
            for (String src : List.of(name + ".h", name + ".c", name + "_main.c")) {
                Files.copy(c.resolve(src), build.resolve(src));
            }
            Toolchain.Result r;
            try {
                r = CCompiler.run(CCompiler.compile(build, name, name, List.of()), Files.readAllBytes(input));
            } catch (ExportException e) {
                throw UserError.of(ExitCode.FAILED, e.getMessage(), e);
            }
            if (r.exitCode() != 0) {
                throw UserError.of(ExitCode.FAILED, name + "_main exited with " + r.exitCode() + ": " + r.stderr().strip(), null);
            }
            spec.commandLine().getOut().print(new String(r.stdout(), StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        } finally {
            AtomicFiles.deleteRecursively(build);
        }
    }
}
