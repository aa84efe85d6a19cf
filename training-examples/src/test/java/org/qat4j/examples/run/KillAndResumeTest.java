package org.qat4j.examples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.core.train.checkpoint.CheckpointStore;
import org.qat4j.core.train.checkpoint.TrainingState;

/** Kills a training process mid-epoch with SIGKILL and resumes it: no epoch is lost or repeated. */
class KillAndResumeTest {

    private static final int EPOCHS = 7;

    @TempDir
    Path dir;

    private Process start(Path run, boolean resume) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                TinyTrainingProgram.class.getName(),
                run.toString(),
                Integer.toString(EPOCHS),
                Boolean.toString(resume),
                "25"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectError(dir.resolve(resume ? "err2.txt" : "err1.txt").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    @Test
    void killedRunResumesWithNoLostEpoch() throws Exception {
        Path run = dir.resolve("run");
        Map<Integer, String> savedSums = new HashMap<>();

        Process first = start(run, false);
        int killedAfter = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts[0].equals("EPOCH_DONE")) {
                    int epoch = Integer.parseInt(parts[1]);
                    savedSums.put(epoch, parts[2]);
                    if (epoch == 3) {
                        // Epoch 4 is under way (12 batches × 25 ms sleep): kill it in the middle.
                        Thread.sleep(120);
                        first.destroyForcibly();
                        killedAfter = epoch;
                        break;
                    }
                }
            }
        }
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, killedAfter, "first run never reached epoch 3: " + Files.readString(dir.resolve("err1.txt")));
        assertTrue(first.exitValue() != 0, "the first run must have been killed, not finished");
        CheckpointStore store = new CheckpointStore(run.resolve("checkpoints"), 2);
        int latestAtKill = store.latestEpoch().orElseThrow();
        assertTrue(latestAtKill == 3 || latestAtKill == 4, "latest checkpoint after kill: " + latestAtKill);

        Process second = start(run, true);
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        }
        assertTrue(second.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, second.exitValue(), "resumed run failed: " + Files.readString(dir.resolve("err2.txt")));

        String[] restored = lines.get(0).split(" ");
        assertEquals("RESTORED", restored[0], lines.toString());
        int resumedFrom = Integer.parseInt(restored[1]);
        assertEquals(latestAtKill, resumedFrom);
        if (savedSums.containsKey(resumedFrom)) {
            // The weights after restore + trainer initialization are exactly the checkpointed ones.
            assertEquals(savedSums.get(resumedFrom), restored[2]);
        }
        List<Integer> epochsDone = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("EPOCH_DONE")) {
                epochsDone.add(Integer.parseInt(l.split(" ")[1]));
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int e = resumedFrom + 1; e <= EPOCHS; e++) {
            expected.add(e);
        }
        assertEquals(expected, epochsDone, "the resumed run must train exactly the missing epochs");
        assertEquals("FINISHED", lines.get(lines.size() - 1));

        TrainingState fin = store.readLatestState().orElseThrow();
        assertEquals(EPOCHS, fin.completedEpochs());
        assertEquals((long) EPOCHS * TinyTraining.STEPS_PER_EPOCH, fin.optimizerSteps());
        for (int i = 0; i < EPOCHS; i++) {
            assertEquals(i + 1, fin.history().get(i).epoch());
            assertEquals(TinyTraining.STEPS_PER_EPOCH, fin.history().get(i).steps());
        }
        // The history before the kill came through the checkpoint unchanged, and training learned.
        assertTrue(
                fin.history().get(EPOCHS - 1).trainLoss() < fin.history().get(0).trainLoss());
        try (var entries = Files.list(run.resolve("checkpoints"))) {
            List<String> names =
                    entries.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("epoch-0006", "epoch-0007", "latest.json"), names, "no temporary leftovers");
        }
    }
}
