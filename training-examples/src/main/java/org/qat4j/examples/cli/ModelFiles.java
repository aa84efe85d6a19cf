package org.qat4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.ModelReader;

/**
 * Reading the files the export commands take, with the CLI's error convention: a message naming the
 * option as the user typed it and the value, on standard error, and exit code 2 (the caller returns
 * it when this returns null).
 */
final class ModelFiles {
    private ModelFiles() {}

    /** The model, or null after printing why it cannot be read. */
    static IntegerModel readModel(String option, Path file, PrintWriter err) {
        try {
            return ModelReader.read(file);
        } catch (NoSuchFileException e) {
            err.println(option + ": no such file: " + file);
        } catch (IOException | ModelFormatException e) {
            err.println(option + ": cannot read " + file + ": " + e.getMessage());
        }
        return null;
    }

    /** The file's text, or null after printing why it cannot be read. */
    static String readText(String option, Path file, PrintWriter err) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            err.println(option + ": no such file: " + file);
        } catch (IOException e) {
            err.println(option + ": cannot read " + file + ": " + e.getMessage());
        }
        return null;
    }
}
