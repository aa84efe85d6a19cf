package org.qat4j.examples.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a run directory ({@code RUN/.lock}), so two processes never write the same
 * checkpoints: a second {@code qat train --resume} started while the first still runs fails at once,
 * naming the process that holds the lock. The operating system releases the lock when its process
 * dies, so a killed run never leaves a stale lock behind.
 */
public final class RunLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code runDirectory}, or fails saying who holds it. */
    public static RunLock acquire(Path runDirectory) throws IOException {
        Files.createDirectories(runDirectory);
        Path file = runDirectory.resolve(".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
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
            String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            channel.close();
            throw new IOException("run directory " + runDirectory.toAbsolutePath() + " is in use by another run ("
                    + (holder.isEmpty() ? "unknown process" : holder) + "); wait for it or choose another --out");
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid())
                .getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        return new RunLock(channel, lock);
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
