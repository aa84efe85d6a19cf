package org.qat4j.examples.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An exclusive lock on a run directory ({@code RUN/.lock}), so two processes never write the same
 * checkpoints: a second {@code qat train --resume} started while the first still runs fails at once,
 * naming the {@code qat} process that holds the lock (the one the user started, not a restarted child
 * JVM). The operating system releases the lock when its process dies, so a killed run never leaves a
 * lock that blocks; a run that ends normally also removes the file.
 */
public final class RunLock implements AutoCloseable {

    /**
     * Environment variable with the pid of the {@code qat} process the user started, set for a child JVM
     * that runs the command for it; the lock names that pid.
     */
    public static final String LAUNCHER_PID = "QAT_LAUNCHER_PID";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code runDirectory} (which must exist), or fails saying who holds it. */
    public static RunLock acquire(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(".lock");
        while (true) {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Object opened = fileKey(file);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                String holder = readHolder(file);
                channel.close();
                throw new RunRefusedException("run directory " + runDirectory + " is in use by another qat process ("
                        + (holder.isEmpty() ? "unknown process" : holder)
                        + "); wait for it to end or choose another --out");
            }
            // The holder before us removes the file when it ends: a lock on a removed file locks nothing.
            Object after = fileKey(file);
            if (opened == null || !opened.equals(after)) {
                lock.release();
                channel.close();
                continue;
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holderText().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new RunLock(file, channel, lock);
        }
    }

    private static String holderText() {
        String launcher = System.getenv(LAUNCHER_PID);
        return "pid "
                + (launcher != null
                        ? launcher
                        : Long.toString(ProcessHandle.current().pid()));
    }

    private static String readHolder(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Releases the lock and removes the lock file. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
            lock.release();
        } finally {
            channel.close();
        }
    }
}
