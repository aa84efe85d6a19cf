package org.qat4j.examples.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.qat4j.core.engine.ConvolutionGradientCheck;

/**
 * Starts the {@code qat} command again in a child JVM with oneDNN's instruction set capped when this
 * machine's engine computes wrong float32 convolution gradients (see {@link ConvolutionGradientCheck}).
 *
 * <p>Why a child process: oneDNN reads {@code ONEDNN_MAX_CPU_ISA} from the process environment once, when
 * the native library starts, and Java cannot change its own environment. The check runs only for the
 * commands that train or benchmark, and only when the variable is not set already, so a user who sets it
 * (or a child started here) never pays twice.
 */
final class EngineRelaunch {

    private static final Set<String> TRAINING_COMMANDS = Set.of("train", "bench");

    private EngineRelaunch() {}

    /**
     * Decides whether {@code args} must run in a child JVM, and runs it there if so.
     *
     * @param args the command-line arguments of {@code qat}
     * @return the child's exit code, or -1 when this JVM should run the command itself
     */
    static int relaunchIfNeeded(String[] args) {
        if (args.length == 0 || !TRAINING_COMMANDS.contains(args[0])
                || System.getenv(ConvolutionGradientCheck.ISA_VARIABLE) != null) {
            return -1;
        }
        ConvolutionGradientCheck.Result check = ConvolutionGradientCheck.run();
        if (check.exact()) {
            return -1;
        }
        System.err.println("qat: " + check.explanation() + "; restarting with "
                + ConvolutionGradientCheck.ISA_VARIABLE + "=" + ConvolutionGradientCheck.SAFE_ISA);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(QatCommand.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder child = new ProcessBuilder(command).inheritIO();
        child.environment().put(ConvolutionGradientCheck.ISA_VARIABLE, ConvolutionGradientCheck.SAFE_ISA);
        try {
            return child.start().waitFor();
        } catch (IOException e) {
            System.err.println("qat: cannot restart the JVM (" + e.getMessage() + "); set "
                    + ConvolutionGradientCheck.ISA_VARIABLE + "=" + ConvolutionGradientCheck.SAFE_ISA
                    + " and run the command again");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
