package org.qat4j.runtime.model;

/** The qat4j version written into the provenance of exported models and certificates. */
public final class LibraryVersion {
    /** Library version string. */
    public static final String VERSION = "qat4j 0.1.0-SNAPSHOT";

    private LibraryVersion() {}
}
