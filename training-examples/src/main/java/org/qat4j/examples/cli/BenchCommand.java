package org.qat4j.examples.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qat bench NAME|all}: runs the side-by-side benchmarks the library ships and prints one JSON
 * object per line, {@code {"bench": NAME, "a": …, "b": …, "unit": …, "ratio": a/b, "threads": …}}, b
 * being the baseline: {@code train-hgq} and {@code train-a2q} time a QAT training step against the same
 * network of plain DJL blocks, {@code runtime} times the integer runtime against the plain float32 network
 * of the same shape in DJL and in ONNX Runtime (module qat-bench; {@code --model FILE} adds an exported fixed-point MLP,
 * e.g. a trained run's, against its float twin), {@code c} times the C export (gcc -O2) against the
 * integer runtime on the same model (qat-bench, {@code CVsRuntimeBenchmark}), {@code checker} measures the certificate checker against its
 * 50 million weights/s target. Each benchmark is a program of its module whose {@code main} prints that line;
 * other output of a benchmark goes to standard error. The benchmark classes are named here, one per
 * benchmark, and looked up at run time so that a build without one of them still runs the others.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run benchmarks side by side (NAME: train-hgq, train-a2q, runtime, c, checker, or all); "
                + "one JSON object per line.")
public final class BenchCommand implements Callable<Integer> {

    /** Benchmark name → the class whose {@code main} runs it. */
    static final Map<String, String> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("train-hgq", "org.qat4j.bench.train.HgqTrainStepBenchmark");
        BENCHMARKS.put("train-a2q", "org.qat4j.bench.train.A2qTrainStepBenchmark");
        BENCHMARKS.put("runtime", "org.qat4j.bench.RuntimeVsFloatBenchmark");
        BENCHMARKS.put("c", "org.qat4j.bench.CVsRuntimeBenchmark");
        BENCHMARKS.put("checker", "org.qat4j.bench.RuntimeBenchmark");
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "train-hgq, train-a2q, runtime, c, checker or all.")
    String name;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "runtime only, repeatable: also benchmark this exported fixed-point MLP (e.g. a trained run's"
                    + " integer-model.json) against its float twin with the same weights.")
    List<Path> models = new ArrayList<>();

    @Override
    public Integer call() {
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        if (name.equals("all")) {
            BENCHMARKS.forEach(
                    (n, c) -> wanted.computeIfAbsent(c, k -> new ArrayList<>()).add(n));
        } else if (BENCHMARKS.containsKey(name)) {
            wanted.put(BENCHMARKS.get(name), List.of(name));
        } else {
            System.err.println(
                    "unknown benchmark '" + name + "'; known: " + String.join(", ", BENCHMARKS.keySet()) + ", all");
            return 2;
        }
        List<String> args = new ArrayList<>();
        if (!models.isEmpty() && !name.equals("runtime")) {
            throw UserError.usage("--model: only the runtime benchmark takes a model, not '" + name + "'");
        }
        for (Path model : models) {
            ModelFiles.read("--model", model);
            args.add("--model");
            args.add(model.toString());
        }
        int failures = 0;
        for (Map.Entry<String, List<String>> e : wanted.entrySet()) {
            try {
                run(e.getKey(), e.getValue(), args.toArray(new String[0])).forEach(System.out::println);
            } catch (ReflectiveOperationException | RuntimeException ex) {
                Throwable cause = ex instanceof InvocationTargetException ite ? ite.getCause() : ex;
                if (!models.isEmpty() && cause instanceof IllegalArgumentException) {
                    // the benchmark refused a model it cannot rebuild as a float network; its message names the file
                    throw UserError.input("--model " + cause.getMessage(), cause);
                }
                System.err.println(
                        "bench " + String.join(", ", e.getValue()) + " (" + e.getKey() + ") failed: " + cause);
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /**
     * Runs the benchmark's {@code main} with standard output captured; returns its JSON lines whose
     * {@code "bench"} is one of {@code names}, passes the rest to standard error, and fails if a name got no line.
     */
    static List<String> run(String className, List<String> names) throws ReflectiveOperationException {
        return run(className, names, new String[0]);
    }

    /** {@link #run(String, List)} with arguments for the benchmark's {@code main}. */
    static List<String> run(String className, List<String> names, String[] args) throws ReflectiveOperationException {
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
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(original);
        }
        List<String> json = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\\R")) {
            String t = line.trim();
            String bench = benchName(t);
            if (bench != null && names.contains(bench)) {
                json.add(t);
            } else if (!t.isEmpty()) {
                System.err.println(t);
            }
        }
        for (String n : names) {
            if (json.stream().noneMatch(line -> n.equals(benchName(line)))) {
                throw new IllegalStateException(className + " printed no {\"bench\": \"" + n + "\", ...} line");
            }
        }
        return json;
    }

    /** The {@code "bench"} field of a JSON object line, or null if the line is not one. */
    static String benchName(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(line);
            JsonElement bench = e.isJsonObject() ? e.getAsJsonObject().get("bench") : null;
            return bench != null && bench.isJsonPrimitive() ? bench.getAsString() : null;
        } catch (JsonParseException ex) {
            return null;
        }
    }
}
