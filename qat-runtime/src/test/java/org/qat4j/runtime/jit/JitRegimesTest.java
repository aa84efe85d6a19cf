package org.qat4j.runtime.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential JIT testing of the exact code (HotSpot C2 bug JDK-8376400, "C2: folding ifs may cause
 * incorrect execution when trap is taken"): every {@link JitWorkload} scenario runs in a fresh child JVM
 * under {@code -Xint} (the oracle: no compiler) and under four compilation regimes — the default tiered
 * JVM, C2 only with blocking compiles ({@code -Xbatch -XX:-TieredCompilation}), {@code -Xcomp} (for the
 * project's classes), and C1
 * only ({@code -XX:TieredStopAtLevel=1}) — and every regime must write the same results, bit for bit.
 *
 * <p>On the code of b0ffa56 (before the fix) the scenario {@code wrap-hot-then-sat} fails under the
 * default regime: {@code FixedPoint.applyOverflow(-1, (k=1, i=2, f=2), SAT)} returns 0 instead of -1
 * (phase "first SAT calls after the warm-up", index 0), as it did in 8 of 8 runs of the issue's
 * reproducer on OpenJDK 17.0.15.
 */
class JitRegimesTest {

    /** Name → JVM options. */
    static final Map<String, List<String>> REGIMES = new LinkedHashMap<>();

    static {
        REGIMES.put("default", List.of());
        REGIMES.put("C2 only, blocking (-Xbatch -XX:-TieredCompilation)", List.of("-Xbatch", "-XX:-TieredCompilation"));
        // every method of ours compiled at its first call; the JDK's own startup left to the interpreter, which
        // would otherwise cost 15-25 s per JVM
        REGIMES.put(
                "-Xcomp (org.qat4j only)",
                List.of("-Xcomp", "-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly,org.qat4j.*::*"));
        REGIMES.put("C1 only (-XX:TieredStopAtLevel=1)", List.of("-XX:TieredStopAtLevel=1"));
    }

    @TempDir
    static Path dir;

    /** Two JVMs at a time: CI has two cores. */
    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    static List<String> scenarios() {
        return JitWorkload.SCENARIOS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyRegimeMatchesTheInterpreter(String scenario) throws Exception {
        Future<Map<String, long[]>> oracle = pool.submit(() -> run(scenario, "Xint", List.of("-Xint")));
        Map<String, Future<Map<String, long[]>>> runs = new LinkedHashMap<>();
        int id = 0;
        for (Map.Entry<String, List<String>> r : REGIMES.entrySet()) {
            String tag = "r" + id++;
            runs.put(r.getKey(), pool.submit(() -> run(scenario, tag, r.getValue())));
        }
        Map<String, long[]> expected = oracle.get(10, TimeUnit.MINUTES);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Future<Map<String, long[]>>> r : runs.entrySet()) {
            problems.addAll(compare(r.getKey(), expected, r.getValue().get(10, TimeUnit.MINUTES)));
        }
        if (!problems.isEmpty()) {
            fail("scenario " + scenario + ": compiled code differs from -Xint:\n  " + String.join("\n  ", problems));
        }
    }

    private static List<String> compare(String regime, Map<String, long[]> expected, Map<String, long[]> actual) {
        List<String> problems = new ArrayList<>();
        assertEquals(expected.keySet(), actual.keySet(), regime + ": phases");
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] want = e.getValue();
            long[] got = actual.get(e.getKey());
            if (want.length != got.length) {
                problems.add(
                        regime + ", phase '" + e.getKey() + "': " + got.length + " results, -Xint gave " + want.length);
                continue;
            }
            int diffs = 0;
            int first = -1;
            for (int t = 0; t < want.length; t++) {
                if (want[t] != got[t]) {
                    diffs++;
                    first = first < 0 ? t : first;
                }
            }
            if (diffs > 0) {
                problems.add(regime + ", phase '" + e.getKey() + "': " + diffs + " of " + want.length
                        + " results differ; first at index " + first + ": " + got[first] + " (-Xint: " + want[first]
                        + ")");
            }
        }
        return problems;
    }

    private static Map<String, long[]> run(String scenario, String tag, List<String> options)
            throws IOException, InterruptedException {
        Path out = dir.resolve(scenario + "-" + tag + ".bin");
        Path log = dir.resolve(scenario + "-" + tag + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        // the Vector API kernels, at every tile size (scenario exact-kernels)
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-Dqat.runtime.vectorMinWork=0");
        cmd.add("-Dqat.runtime.blockBytes=1024");
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(JitWorkload.class.getName());
        cmd.add(scenario);
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(scenario + " under " + options + " did not finish in 10 minutes");
        }
        if (p.exitValue() != 0) {
            fail(scenario + " under " + options + " exited with " + p.exitValue() + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        Map<String, long[]> phases = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(out);
                DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
            while (data.available() > 0) {
                String name = data.readUTF();
                long[] v = new long[data.readInt()];
                for (int t = 0; t < v.length; t++) {
                    v[t] = data.readLong();
                }
                phases.put(name, v);
            }
        }
        return phases;
    }
}
