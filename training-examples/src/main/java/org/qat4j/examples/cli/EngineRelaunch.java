package org.qat4j.examples.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.qat4j.core.engine.ConvolutionGradientCheck;
import org.qat4j.examples.run.RunLock;

/**
 * Starts the {@code qat} command again in a child JVM whose environment fixes two native settings that
 * Java cannot change in its own process, for the commands that train or benchmark:
 * <ul>
 *   <li>oneDNN's instruction set capped ({@code ONEDNN_MAX_CPU_ISA=AVX}) when this machine's engine
 *       computes wrong float32 convolution gradients (see {@link ConvolutionGradientCheck}); oneDNN reads
 *       the variable once, when the native library starts;</li>
 *   <li>glibc's allocator told to keep its pages ({@code MALLOC_ARENA_MAX=1},
 *       {@code MALLOC_TRIM_THRESHOLD_=1073741824}, {@code MALLOC_MMAP_THRESHOLD_=33554432}): with the
 *       defaults, a training step whose peak memory spills past the first heap makes glibc map and unmap a
 *       fresh 64 MB heap every step, and the page faults cost 2–4× the step time (measured on the A2Q+
 *       CNN benchmark, docs/a2q.md).</li>
 * </ul>
 * The child also gets {@code --add-modules jdk.incubator.vector} when this JVM lacks it, so the integer
 * runtime runs its Vector API kernels (it runs its scalar kernels, same integers, without the module);
 * the JVM then prints one "Using incubator modules" warning on standard error.
 * A variable the user set is never overridden, and a child (which has them all) never restarts again.
 * The child never outlives this process: a shutdown hook here stops it on SIGTERM or Ctrl-C, and the
 * child itself ends when this process is gone, even after a SIGKILL ({@link ParentWatch}).
 */
final class EngineRelaunch {

    private static final Set<String> TRAINING_COMMANDS = Set.of("train", "bench");

    /** The Vector API incubator module, which the integer runtime's vector kernels need (Java 17). */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** Seconds a child gets to stop after SIGTERM before it is killed. */
    private static final long STOP_SECONDS = 10;

    private static final Set<String> HELP_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    /** glibc allocator settings for training processes; see the class comment. */
    static final Map<String, String> ALLOCATOR_SETTINGS = allocatorSettings();

    private EngineRelaunch() {}

    /**
     * Decides whether {@code args} must run in a child JVM, and runs it there if so.
     *
     * @param args the command-line arguments of {@code qat}
     * @return the child's exit code, or -1 when this JVM should run the command itself
     */
    static int relaunchIfNeeded(String[] args) {
        if (args.length == 0 || !TRAINING_COMMANDS.contains(args[0]) || asksForHelp(args)) {
            return -1;
        }
        Map<String, String> missing = missingSettings(System.getenv());
        boolean vector = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        if (missing.isEmpty() && vector) {
            return -1;
        }
        if (missing.containsKey(ConvolutionGradientCheck.ISA_VARIABLE)) {
            // the one setting that changes results on this machine is said; the allocator and module ones are not
            System.err.println("qat: restarting with " + missing + (vector ? "" : " --add-modules " + VECTOR_MODULE));
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (!vector) {
            command.add("--add-modules");
            command.add(VECTOR_MODULE);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(QatCommand.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder child = new ProcessBuilder(command).inheritIO();
        child.environment().putAll(missing);
        child.environment()
                .put(RunLock.LAUNCHER_PID, Long.toString(ProcessHandle.current().pid()));
        try {
            Process process = child.start();
            Thread stopChild = new Thread(() -> stop(process), "qat-stop-child");
            Runtime.getRuntime().addShutdownHook(stopChild);
            int code = process.waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
            return code;
        } catch (IOException e) {
            System.err.println("qat: cannot restart the JVM (" + e.getMessage() + "); set " + missing
                    + " in the environment and run the command again");
            return ExitCode.INTERNAL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED;
        }
    }

    /** Asks the child to stop (SIGTERM: it saves nothing half-written), then kills it if it does not. */
    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The settings a training process still lacks: the allocator settings the environment does not set,
     * and the oneDNN cap when it is unset and the engine check fails in this JVM.
     *
     * @param environment the current environment
     * @return variable → value to add (empty: run here)
     */
    static Map<String, String> missingSettings(Map<String, String> environment) {
        Map<String, String> missing = new LinkedHashMap<>();
        ALLOCATOR_SETTINGS.forEach((k, v) -> {
            if (!environment.containsKey(k)) {
                missing.put(k, v);
            }
        });
        if (!environment.containsKey(ConvolutionGradientCheck.ISA_VARIABLE)) {
            ConvolutionGradientCheck.Result check = ConvolutionGradientCheck.run();
            if (!check.exact()) {
                System.err.println("qat: " + check.explanation());
                missing.put(ConvolutionGradientCheck.ISA_VARIABLE, ConvolutionGradientCheck.SAFE_ISA);
            }
        }
        return missing;
    }

    private static Map<String, String> allocatorSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("MALLOC_ARENA_MAX", "1");
        m.put("MALLOC_TRIM_THRESHOLD_", "1073741824");
        m.put("MALLOC_MMAP_THRESHOLD_", "33554432");
        return Map.copyOf(m);
    }

    private static boolean asksForHelp(String[] args) {
        for (String a : args) {
            if (HELP_OPTIONS.contains(a)) {
                return true;
            }
        }
        return false;
    }
}
