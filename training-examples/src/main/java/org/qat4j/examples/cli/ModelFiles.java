package org.qat4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.qat4j.runtime.model.IntegerModel;
import org.qat4j.runtime.model.ModelFormatException;
import org.qat4j.runtime.model.ModelReader;

/** Reads the integer model file an option names; every failure is a {@link UserError} naming the option. */
final class ModelFiles {

    private ModelFiles() {}

    /**
     * @param option the option as the user typed it, e.g. {@code --model}
     * @param file its value
     * @throws UserError ({@link ExitCode#INPUT}) naming option, file and problem
     */
    static IntegerModel read(String option, Path file) {
        if (!Files.exists(file)) {
            throw UserError.input(option + " " + file + ": no such file", null);
        }
        if (Files.isDirectory(file)) {
            throw UserError.input(option + " " + file + ": is a directory, expected an integer model file", null);
        }
        try {
            return ModelReader.read(file);
        } catch (IOException e) {
            throw UserError.input(option + " " + file + ": cannot read: " + ErrorReporter.message(e), e);
        } catch (ModelFormatException e) {
            throw UserError.input(option + " " + file + ": not a valid integer model: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // the reader validates as it builds: any other failure is a malformed file too
            throw UserError.input(option + " " + file + ": not a valid integer model: " + e.getMessage(), e);
        }
    }
}
