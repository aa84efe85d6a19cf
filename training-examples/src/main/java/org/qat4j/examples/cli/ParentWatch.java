package org.qat4j.examples.cli;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.qat4j.examples.run.RunLock;

/**
 * Makes a child JVM started by {@link EngineRelaunch} end when the {@code qat} process that started it
 * ends, whatever ended that one (SIGKILL included, which leaves the parent no chance to stop its child):
 * the child watches its launcher's pid ({@link RunLock#LAUNCHER_PID}) and exits with
 * {@link ExitCode#INTERRUPTED} as soon as it is gone, so no training keeps running, and holding the run
 * lock, behind the user's back.
 */
final class ParentWatch {

    /** How long shutdown hooks may take before the JVM is halted. */
    private static final long GRACE_SECONDS = 10;

    private ParentWatch() {}

    /** Starts watching if this JVM was launched by a {@code qat} process; does nothing otherwise. */
    static void startIfLaunched() {
        String pid = System.getenv(RunLock.LAUNCHER_PID);
        if (pid == null) {
            return;
        }
        Optional<ProcessHandle> launcher;
        try {
            launcher = ProcessHandle.of(Long.parseLong(pid.trim()));
        } catch (NumberFormatException e) {
            return;
        }
        if (launcher.isEmpty() || !launcher.get().isAlive()) {
            stop(pid);
            return;
        }
        launcher.get().onExit().thenRun(() -> stop(pid));
    }

    private static void stop(String pid) {
        System.err.println("qat: the qat process that started this one (pid " + pid + ") has ended; stopping");
        Thread halt = new Thread(
                () -> {
                    try {
                        TimeUnit.SECONDS.sleep(GRACE_SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
                },
                "qat-halt");
        halt.setDaemon(true);
        halt.start();
        new Thread(() -> System.exit(ExitCode.INTERRUPTED), "qat-parent-gone").start();
    }
}
