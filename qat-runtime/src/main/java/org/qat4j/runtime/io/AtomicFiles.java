package org.qat4j.runtime.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The one way qat4j writes a file or a directory (models, certificates, run files, checkpoints, plots,
 * downloads): a reader, or a resumed run after a kill, sees either the old content or the complete new
 * content, never a half-written file. Write to a temporary sibling, {@code fsync} it, optionally check it,
 * rename it over the target atomically, then {@code fsync} the parent directory so the rename itself
 * survives a power loss. A failure at any step leaves the target as it was and no temporary file behind.
 */
public final class AtomicFiles {

    /** Writes content to a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        /** Writes everything to {@code out}. */
        void write(OutputStream out) throws IOException;
    }

    /** Checks a complete temporary file before it replaces the target (e.g. a download's checksum). */
    @FunctionalInterface
    public interface Check {
        /** Throws if {@code written} must not replace the target. */
        void check(Path written) throws IOException;
    }

    /** Fills a directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        /** Writes the directory's content into {@code directory} (which exists and is empty). */
        void write(Path directory) throws IOException;
    }

    private AtomicFiles() {}

    /** Atomically replaces {@code target} with what {@code writer} writes. */
    public static void write(Path target, StreamWriter writer) throws IOException {
        write(target, writer, written -> {});
    }

    /**
     * Atomically replaces {@code target} with what {@code writer} writes, if {@code check} accepts the
     * complete written file; otherwise {@code target} is unchanged and the check's exception is thrown.
     */
    public static void write(Path target, StreamWriter writer, Check check) throws IOException {
        Path parent = parentOf(target);
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
        try {
            makeReadable(temp, "rw-r--r--");
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.write(out);
            }
            fsync(temp);
            check.check(temp);
            move(temp, target);
            fsyncDirectory(parent);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Atomically replaces {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces {@code target} with {@code bytes}. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Creates directory {@code target} atomically: {@code writer} fills a temporary sibling, every
     * file in it is synced, and the directory is renamed to {@code target}. If {@code writer} fails,
     * the temporary directory is removed and {@code target} is untouched. {@code target} must not
     * exist yet (a directory cannot be renamed over a non-empty one).
     */
    public static void writeDirectory(Path target, DirectoryWriter writer) throws IOException {
        Path parent = parentOf(target);
        Files.createDirectories(parent);
        if (Files.exists(target)) {
            throw new IOException("cannot write directory " + target + " atomically: it already exists");
        }
        Path temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp");
        boolean moved = false;
        try {
            makeReadable(temp, "rwxr-xr-x");
            writer.write(temp);
            try (var files = Files.list(temp)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(file)) {
                        fsync(file);
                    }
                }
            }
            fsyncDirectory(temp);
            move(temp, target);
            moved = true;
            fsyncDirectory(parent);
        } finally {
            if (!moved) {
                deleteRecursively(temp);
            }
        }
    }

    /** Deletes a file or a directory tree if it exists. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static Path parentOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("target has no parent directory: " + target);
        }
        return parent;
    }

    /** Temp files are created owner-only; results are ordinary readable files. */
    private static void makeReadable(Path path, String permissions) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to + " cannot rename atomically", e);
        }
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void fsyncDirectory(Path dir) {
        // Linux syncs a directory opened for reading; other systems refuse, and there the rename is
        // as durable as the platform allows.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }
}
