package org.qat4j.examples.run;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.qat4j.core.train.EpochHook;
import org.qat4j.core.train.EpochSummary;
import org.qat4j.core.train.checkpoint.EpochRecord;
import org.qat4j.core.train.checkpoint.ResumableTraining;
import org.qat4j.core.train.checkpoint.TrainingState;

/**
 * Progress of a training run for the person watching it: within an epoch, when the output is a terminal,
 * one line redrawn in place (epoch, a bar, batches done, seconds); after every epoch, as its checkpoint is
 * saved, one line with what the epoch measured (test accuracy, task loss, regularizer, EBOPs when
 * measured, seconds). Register it as a DJL training listener, an epoch hook and the checkpoint listener.
 */
public final class EpochProgress extends TrainingListenerAdapter
        implements EpochHook, ResumableTraining.CheckpointListener {

    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int BAR = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final int epochs;
    private final long batchesPerEpoch;
    private int epoch;
    private long batch;
    private long epochStart;
    private long lastDraw;
    private int drawn;

    /**
     * @param out where to print (the CLI's standard output)
     * @param terminal whether {@code out} is a terminal (then the in-epoch line is drawn)
     * @param epochs the run's epochs
     * @param batchesPerEpoch batches of one epoch (for the bar; 0 if unknown)
     */
    public EpochProgress(PrintStream out, boolean terminal, int epochs, long batchesPerEpoch) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    /** Whether this process writes to a terminal (no in-place redraws into files and pipes). */
    public static boolean isTerminal() {
        return System.console() != null;
    }

    @Override
    public void beforeEpoch(int zeroBasedEpoch) {
        epoch = zeroBasedEpoch + 1;
        batch = 0;
        epochStart = System.nanoTime();
        lastDraw = 0;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        batch++;
        long now = System.nanoTime();
        if (!terminal || (now - lastDraw < REDRAW_NANOS && batch != batchesPerEpoch)) {
            return;
        }
        lastDraw = now;
        String bar = "";
        if (batchesPerEpoch > 0) {
            int filled = (int) Math.min(BAR, BAR * batch / batchesPerEpoch);
            bar = "[" + "#".repeat(filled) + " ".repeat(BAR - filled) + "] ";
        }
        draw(String.format(
                Locale.ROOT,
                "  epoch %d/%d %s%d%s batches, %.0f s",
                epoch,
                epochs,
                bar,
                batch,
                batchesPerEpoch > 0 ? "/" + batchesPerEpoch : "",
                (now - epochStart) / 1e9));
    }

    @Override
    public void afterEpoch(int zeroBasedEpoch, EpochSummary summary) {
        if (terminal) {
            draw(String.format(Locale.ROOT, "  epoch %d/%d: measuring test accuracy", epoch, epochs));
        }
    }

    @Override
    public void saved(TrainingState state, Path checkpoint) {
        clear();
        out.println(line(state.history().get(state.history().size() - 1), epochs));
        out.flush();
    }

    /** The line printed after an epoch. */
    public static String line(EpochRecord r, int epochs) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT, "  epoch %d/%d: test accuracy %.4f", r.epoch(), epochs, r.validationAccuracy()));
        Double task = r.extra().get("taskLoss");
        Double terms = r.extra().get("lossTerms");
        b.append(String.format(Locale.ROOT, ", task loss %.4f", task != null ? task : r.trainLoss()));
        if (terms != null) {
            b.append(String.format(Locale.ROOT, ", regularizer %.4g", terms));
        }
        Double ebops = r.extra().get("ebops");
        if (ebops != null) {
            b.append(String.format(Locale.ROOT, ", EBOPs %.0f", ebops));
        }
        b.append(String.format(Locale.ROOT, ", %.1f s", r.seconds()));
        return b.toString();
    }

    private void draw(String text) {
        out.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
        out.flush();
        drawn = text.length();
    }

    private void clear() {
        if (drawn > 0) {
            out.print("\r" + " ".repeat(drawn) + "\r");
            drawn = 0;
        }
    }
}
