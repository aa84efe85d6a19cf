package org.qat4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.examples.run.RunDirectory;
import org.qat4j.examples.run.RunLock;

/**
 * The child JVM that {@code qat train} restarts itself in never outlives the {@code qat} process the user
 * started: not after SIGTERM (the parent stops it) and not after SIGKILL (the child sees its parent gone),
 * and the run lock is free afterwards.
 */
class ChildLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void sigkillOfQatEndsTheChild() throws Exception {
        endsTheChild(true);
    }

    @Test
    void sigtermOfQatEndsTheChild() throws Exception {
        endsTheChild(false);
    }

    private void endsTheChild(boolean kill) throws Exception {
        Path data = syntheticFashionMnist(dir.resolve("data"));
        Path run = dir.resolve("run");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                QatCommand.class.getName(),
                "train",
                "hgq-fashion-mlp",
                "--data-dir",
                data.toString(),
                "--epochs",
                "100000",
                "--out",
                run.toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        EngineRelaunch.ALLOCATOR_SETTINGS.keySet().forEach(pb.environment()::remove); // so qat restarts itself
        pb.environment().remove(RunLock.LAUNCHER_PID);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process qat = pb.start();
        try {
            ProcessHandle child = awaitTrainingChild(qat, run);
            if (kill) {
                qat.destroyForcibly();
            } else {
                qat.destroy();
            }
            assertTrue(qat.waitFor(30, TimeUnit.SECONDS), "qat did not end");
            try {
                child.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                child.destroyForcibly();
                throw new AssertionError("the child " + child.pid() + " outlived qat by 30 s\n" + output());
            }
            assertFalse(child.isAlive());
            try (RunLock lock = RunDirectory.of(run).lock()) {
                assertTrue(lock != null);
            }
        } finally {
            qat.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            qat.destroyForcibly();
        }
    }

    @Test
    void aBadOptionIsOneLineBeforeAnyRestart() throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                QatCommand.class.getName(),
                "train",
                "--epochs",
                "0",
                "--out",
                dir.resolve("run").toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectError(dir.resolve("err.txt").toFile())
                .redirectOutput(dir.resolve("out.txt").toFile());
        EngineRelaunch.ALLOCATOR_SETTINGS.keySet().forEach(pb.environment()::remove); // a restart would be due
        pb.environment().remove(RunLock.LAUNCHER_PID);
        Process qat = pb.start();
        assertTrue(qat.waitFor(60, TimeUnit.SECONDS));
        assertTrue(qat.exitValue() == ExitCode.USAGE, "exit " + qat.exitValue());
        assertTrue(
                Files.readString(dir.resolve("err.txt")).equals("qat train: --epochs must be >= 1, got 0\n"),
                Files.readString(dir.resolve("err.txt")));
        assertFalse(Files.exists(dir.resolve("run")));
    }

    /** Waits until qat's child JVM has taken the run lock (it is training). */
    private ProcessHandle awaitTrainingChild(Process qat, Path run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> child = qat.toHandle().children().findFirst();
            Path lock = run.resolve(".lock");
            if (child.isPresent()
                    && Files.exists(lock)
                    && Files.readString(lock).equals("pid " + qat.pid())
                    && Files.exists(run.resolve("run.json"))) {
                return child.get();
            }
            assertTrue(qat.isAlive(), "qat ended early\n" + output());
            Thread.sleep(200);
        }
        throw new AssertionError("no training child after 120 s\n" + output());
    }

    private String output() throws IOException {
        return Files.readString(dir.resolve("out.txt"));
    }

    /** Random 28×28 images in the four Fashion-MNIST IDX files (uncompressed). */
    static Path syntheticFashionMnist(Path data) throws IOException {
        Files.createDirectories(data);
        Random random = new Random(3);
        writeIdx(data.resolve("train-images-idx3-ubyte"), data.resolve("train-labels-idx1-ubyte"), 512, random);
        writeIdx(data.resolve("t10k-images-idx3-ubyte"), data.resolve("t10k-labels-idx1-ubyte"), 128, random);
        return data;
    }

    private static void writeIdx(Path images, Path labels, int n, Random random) throws IOException {
        try (OutputStream f = Files.newOutputStream(images);
                DataOutputStream out = new DataOutputStream(f)) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            byte[] pixels = new byte[n * 784];
            random.nextBytes(pixels);
            out.write(pixels);
        }
        try (OutputStream f = Files.newOutputStream(labels);
                DataOutputStream out = new DataOutputStream(f)) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(random.nextInt(10));
            }
        }
    }
}
