package org.qat4j.datasets;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be read as what it claims to be. The message always names the file, the
 * place (byte offset or line) and what was expected there, so a user can open the file and look.
 */
public final class DataFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String location;

    private DataFileException(Path file, String location, String problem, Throwable cause) {
        super(file + ": " + location + ": " + problem, cause);
        this.file = file;
        this.location = location;
    }

    /** A problem at a byte offset of a binary file (of the decompressed stream for gzip files). */
    public static DataFileException atOffset(Path file, long offset, String problem) {
        return new DataFileException(file, "byte offset " + offset, problem, null);
    }

    /** A problem at a 1-based line of a text file. */
    public static DataFileException atLine(Path file, long line, String problem) {
        return new DataFileException(file, "line " + line, problem, null);
    }

    /** A problem with the file as a whole (missing, wrong checksum). */
    public static DataFileException ofFile(Path file, String problem, Throwable cause) {
        return new DataFileException(file, "file", problem, cause);
    }

    /** The file the problem is in. */
    public Path getFile() {
        return file;
    }

    /** Where in the file: {@code "byte offset N"}, {@code "line N"} or {@code "file"}. */
    public String getLocation() {
        return location;
    }
}
