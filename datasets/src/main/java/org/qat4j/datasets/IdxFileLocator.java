package org.qat4j.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qat4j.runtime.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds an IDX file of an {@link IdxSource}: in the user's directory if one is given (and only there),
 * else in the source's system directories, else in the download cache, else downloads it into the
 * cache (unless offline), verifying its checksum before it is moved into place atomically.
 */
public final class IdxFileLocator {

    private static final Logger LOG = LoggerFactory.getLogger(IdxFileLocator.class);
    private static final int TIMEOUT_MILLIS = 30_000;

    private final IdxSource source;
    private final Path userDirectory;
    private final Path cacheDirectory;
    private final boolean offline;

    /**
     * @param source the dataset
     * @param userDirectory a directory the user named, or null
     * @param cacheDirectory where downloads go
     * @param offline whether downloading is forbidden
     */
    public IdxFileLocator(IdxSource source, Path userDirectory, Path cacheDirectory, boolean offline) {
        this.source = source;
        this.userDirectory = userDirectory;
        this.cacheDirectory = cacheDirectory;
        this.offline = offline;
    }

    /** Returns a readable file for {@code baseName} ({@code NAME.gz} or {@code NAME}). */
    public Path locate(String baseName) throws IOException {
        if (userDirectory != null) {
            Path found = findIn(userDirectory, baseName);
            if (found == null) {
                throw new IOException(source.name() + ": neither " + baseName + ".gz nor " + baseName
                        + " is in the given directory " + userDirectory.toAbsolutePath());
            }
            return found;
        }
        List<String> looked = new ArrayList<>();
        for (Path dir : source.systemDirectories()) {
            Path found = findIn(dir, baseName);
            if (found != null) {
                return found;
            }
            looked.add(dir.toString());
        }
        Path cached = findIn(cacheDirectory, baseName);
        if (cached != null) {
            return cached;
        }
        looked.add(cacheDirectory.toString());
        if (offline) {
            throw new IOException(source.name() + ": " + baseName + "(.gz) not found; looked in " + looked
                    + " and downloads are disabled (offline mode: system property ai.djl.offline=true or"
                    + " DJL_OFFLINE). Install the data: " + source.installHint()
                    + "; or pass a directory holding the IDX files.");
        }
        return download(baseName + ".gz", looked);
    }

    private static Path findIn(Path dir, String baseName) {
        Path gz = dir.resolve(baseName + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(baseName);
        return Files.isRegularFile(raw) ? raw : null;
    }

    private Path download(String fileName, List<String> looked) throws IOException {
        Checksum checksum = source.checksums().get(fileName);
        if (checksum == null) {
            throw new IOException(source.name() + ": no checksum known for " + fileName + "; refusing to download it");
        }
        Files.createDirectories(cacheDirectory);
        Path target = cacheDirectory.resolve(fileName);
        List<String> failures = new ArrayList<>();
        for (URI mirror : source.mirrors()) {
            URI uri = mirror.resolve(fileName);
            try {
                LOG.info("Downloading {} from {}", fileName, uri);
                AtomicFiles.write(target, out -> fetch(uri, out), checksum::verify);
                return target;
            } catch (IOException e) {
                failures.add(uri + ": " + e.getMessage());
                LOG.warn("Download of {} from {} failed: {}", fileName, uri, e.getMessage());
            }
        }
        throw new IOException(source.name() + ": " + fileName + " not found in " + looked
                + " and every download failed: " + failures + ". Install the data: " + source.installHint());
    }

    private static void fetch(URI uri, OutputStream out) throws IOException {
        URLConnection connection = uri.toURL().openConnection();
        connection.setConnectTimeout(TIMEOUT_MILLIS);
        connection.setReadTimeout(TIMEOUT_MILLIS);
        try (InputStream in = connection.getInputStream()) {
            in.transferTo(out);
        }
    }
}
