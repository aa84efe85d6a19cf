package org.qat4j.tests.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts docs/results.md tells readers to run stay runnable: every {@code docs/scripts/*.java} compiles
 * against the reactor's classes (they are single-file programs run with {@code java -cp qat.jar FILE.java},
 * which nothing else compiles), and every {@code docs/scripts/*.sh} parses ({@code bash -n}).
 */
class DocScriptsCompileTest {

    private static final Path SCRIPTS =
            Path.of(System.getProperty("user.dir")).getParent().resolve("docs/scripts");

    @TempDir
    Path out;

    @Test
    void everyJavaScriptCompilesAgainstTheLibrary() throws IOException {
        List<Path> sources = list(".java");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler (a JRE instead of a JDK?)");
        for (Path source : sources) {
            StringWriter errors = new StringWriter();
            Boolean ok = javac.getTask(
                            errors,
                            null,
                            null,
                            List.of(
                                    "-proc:none",
                                    "-classpath",
                                    System.getProperty("java.class.path"),
                                    "-d",
                                    out.toString()),
                            null,
                            javac.getStandardFileManager(null, null, null).getJavaFileObjects(source))
                    .call();
            assertEquals(Boolean.TRUE, ok, source + " does not compile:\n" + errors);
        }
    }

    @Test
    void everyShellScriptParses() throws IOException, InterruptedException {
        for (Path script : list(".sh")) {
            Process p = new ProcessBuilder("bash", "-n", script.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), script + " does not parse:\n" + output);
        }
    }

    private static List<Path> list(String suffix) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(SCRIPTS)) {
            s.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().forEach(found::add);
        }
        assertFalse(found.isEmpty(), "no " + suffix + " file in " + SCRIPTS);
        return found;
    }
}
