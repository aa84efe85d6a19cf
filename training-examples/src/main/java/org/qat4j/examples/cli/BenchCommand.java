package org.qat4j.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code qat bench NAME|all}: runs the side-by-side benchmarks the library ships and prints one JSON
 * object per line, {@code {"bench": NAME, "a": …, "b": …, "unit": …, "ratio": a/b, "threads": …}}, b
 * being the baseline. Each benchmark is a program of its module whose {@code main} prints that line;
 * other output of a benchmark goes to standard error. The benchmark classes are named here, one per
 * benchmark, and looked up at run time so that a build without one of them still runs the others.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run benchmarks side by side (NAME: train-hgq, train-a2q, runtime, checker, or all); "
                + "one JSON object per line.")
public final class BenchCommand implements Callable<Integer> {

    /** Benchmark name → the class whose {@code main} runs it. */
    static final Map<String, String> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("train-hgq", "org.qat4j.hgq.bench.HgqTrainStepBenchmark");
        BENCHMARKS.put("train-a2q", "org.qat4j.a2q.bench.A2qTrainStepBenchmark");
        BENCHMARKS.put("runtime", "org.qat4j.runtime.bench.RuntimeBenchmark");
        BENCHMARKS.put("checker", "org.qat4j.runtime.bench.CheckerBenchmark");
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "train-hgq, train-a2q, runtime, checker or all.")
    String name;

    @Override
    public Integer call() {
        List<String> names = new ArrayList<>();
        if (name.equals("all")) {
            names.addAll(BENCHMARKS.keySet());
        } else if (BENCHMARKS.containsKey(name)) {
            names.add(name);
        } else {
            System.err.println("unknown benchmark '" + name + "'; known: " + String.join(", ", BENCHMARKS.keySet())
                    + ", all");
            return 2;
        }
        int failures = 0;
        for (String n : names) {
            try {
                List<String> lines = run(BENCHMARKS.get(n), n);
                lines.forEach(System.out::println);
            } catch (ReflectiveOperationException | RuntimeException e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                System.err.println("bench " + n + " (" + BENCHMARKS.get(n) + ") failed: " + cause);
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /**
     * Runs the benchmark's {@code main} with standard output captured; returns its JSON lines, passes the rest
     * to standard error, and fails if it printed no JSON line for {@code name}.
     */
    static List<String> run(String className, String name) throws ReflectiveOperationException {
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException("benchmark class " + className + " is not in this build", e);
        }
        Method main = type.getMethod("main", String[].class);
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        List<String> json = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\\R")) {
            String t = line.trim();
            if (t.startsWith("{") && t.contains("\"bench\"")) {
                json.add(t);
            } else if (!t.isEmpty()) {
                System.err.println(t);
            }
        }
        if (json.isEmpty()) {
            throw new IllegalStateException(className + " printed no {\"bench\": ...} line");
        }
        return json;
    }
}
