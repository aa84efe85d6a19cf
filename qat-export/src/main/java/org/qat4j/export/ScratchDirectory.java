package org.qat4j.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.qat4j.runtime.io.AtomicFiles;

/**
 * A private working directory for an external tool (gcc, iverilog, verilator, yosys) under
 * {@code java.io.tmpdir}, created with its input files through {@link AtomicFiles} and removed on
 * {@link #close()}; the user's directories are only read.
 */
public final class ScratchDirectory implements AutoCloseable {
    private final Path path;

    private ScratchDirectory(Path path) {
        this.path = path;
    }

    /** Creates a new directory holding {@code files} (name → content). */
    public static ScratchDirectory create(String prefix, Map<String, byte[]> files) throws IOException {
        Path p = Path.of(
                System.getProperty("java.io.tmpdir"),
                prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        AtomicFiles.writeDirectory(p, dir -> {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                AtomicFiles.writeBytes(dir.resolve(f.getKey()), f.getValue());
            }
        });
        return new ScratchDirectory(p);
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        AtomicFiles.deleteRecursively(path);
    }
}
