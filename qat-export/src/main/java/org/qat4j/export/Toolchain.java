package org.qat4j.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external tools that check generated code (gcc, iverilog/vvp, verilator, yosys). A tool
 * that is not on the PATH is an {@link ExportException} naming the Debian package that provides it —
 * never a silent pass.
 */
public final class Toolchain {
    private Toolchain() {}

    /** Exit code and captured output of one tool run. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        /** Standard output as UTF-8 text. */
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Throws unless {@code tool} is an executable on the PATH. */
    public static Path require(String tool, String debianPackage) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, tool);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new ExportException(tool + " is not on the PATH: install the Debian package " + debianPackage
                + " (apt-get install -y " + debianPackage + ")");
    }

    /** Whether {@code tool} is on the PATH. */
    public static boolean available(String tool) {
        try {
            require(tool, "?");
            return true;
        } catch (ExportException e) {
            return false;
        }
    }

    /**
     * Runs {@code command} in {@code dir}, feeding {@code stdin}, and waits at most {@code timeoutSeconds}.
     *
     * @throws ExportException if the tool does not finish in time
     */
    public static Result run(List<String> command, Path dir, byte[] stdin, long timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = pump(p.getInputStream(), out);
        Thread e = pump(p.getErrorStream(), err);
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException broken) {
            // the tool exited without reading everything; its exit code and stderr tell why
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ExportException(
                        String.join(" ", command) + ": did not finish within " + timeoutSeconds + " s");
            }
            o.join();
            e.join();
        } catch (InterruptedException ie) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), ie);
        }
        return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Like {@link #run} but a non-zero exit code is an {@link ExportException} with the tool's standard error. */
    public static Result runOk(List<String> command, Path dir, byte[] stdin, long timeoutSeconds) throws IOException {
        Result r = run(command, dir, stdin, timeoutSeconds);
        if (r.exitCode() != 0) {
            String err = r.stderr().length() > 4000 ? r.stderr().substring(0, 4000) + "..." : r.stderr();
            throw new ExportException(String.join(" ", command) + " failed (exit " + r.exitCode() + "):\n" + err);
        }
        return r;
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(
                () -> {
                    try (in) {
                        in.transferTo(to);
                    } catch (IOException ignored) {
                        // the stream closes when the process ends
                    }
                },
                "tool-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
