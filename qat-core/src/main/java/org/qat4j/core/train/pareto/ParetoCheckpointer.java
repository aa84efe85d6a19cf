package org.qat4j.core.train.pareto;

import ai.djl.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.qat4j.core.train.EpochHook;
import org.qat4j.core.train.EpochSummary;
import org.qat4j.runtime.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every checkpoint that no other checkpoint dominates in (validation accuracy ↑, resource cost ↓)
 * — HGQ2's Pareto-front checkpointing (arXiv 2405.00645 §4.4): one training run with a β ramp yields
 * the whole accuracy/resource trade-off.
 *
 * <p>After each epoch the accuracy and cost are measured; a point dominated by (or equal to) a kept one
 * is discarded, otherwise the model is saved and every kept point it dominates is deleted. Writes are
 * atomic: the model goes to a temporary directory renamed to {@code epoch-NNNN}, and the index
 * {@code pareto-front.tsv} (epoch, accuracy, cost, directory) is written to a temporary file and renamed.
 */
public final class ParetoCheckpointer implements EpochHook {

    private static final Logger LOG = LoggerFactory.getLogger(ParetoCheckpointer.class);
    /** File name of the front's index. */
    public static final String INDEX = "pareto-front.tsv";

    private final Model model;
    private final Path directory;
    private final DoubleSupplier accuracy;
    private final LongSupplier cost;
    private final List<ParetoPoint> front = new ArrayList<>();

    private ParetoCheckpointer(Builder b) {
        this.model = b.model;
        this.directory = b.directory;
        this.accuracy = b.accuracy;
        this.cost = b.cost;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The current front, by increasing cost. */
    public List<ParetoPoint> getFront() {
        List<ParetoPoint> sorted = new ArrayList<>(front);
        sorted.sort(Comparator.comparingLong(ParetoPoint::cost).thenComparingInt(ParetoPoint::epoch));
        return sorted;
    }

    @Override
    public void afterEpoch(int epoch, EpochSummary summary) {
        offer(epoch, accuracy.getAsDouble(), cost.getAsLong());
    }

    /**
     * Offers a measured point; saves the model if the point joins the front.
     *
     * @return true if the point was kept
     */
    public boolean offer(int epoch, double acc, long c) {
        if (!Double.isFinite(acc)) {
            throw new IllegalArgumentException("ParetoCheckpointer: accuracy must be finite, got " + acc);
        }
        ParetoPoint candidate = new ParetoPoint(epoch, acc, c, directory.resolve(String.format("epoch-%04d", epoch)));
        for (ParetoPoint p : front) {
            if (p.dominates(candidate) || (p.accuracy() == acc && p.cost() == c)) {
                return false;
            }
        }
        try {
            AtomicFiles.deleteRecursively(candidate.directory());
            AtomicFiles.writeDirectory(candidate.directory(), dir -> model.save(dir, model.getName()));
            List<ParetoPoint> dominated = new ArrayList<>();
            for (ParetoPoint p : front) {
                if (candidate.dominates(p)) {
                    dominated.add(p);
                }
            }
            front.removeAll(dominated);
            front.add(candidate);
            writeIndex();
            for (ParetoPoint p : dominated) {
                AtomicFiles.deleteRecursively(p.directory());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "ParetoCheckpointer: cannot save epoch " + epoch + " to " + directory + ": " + e.getMessage(), e);
        }
        LOG.debug("epoch {} joins the Pareto front: accuracy {}, cost {}", epoch, acc, c);
        return true;
    }

    private void writeIndex() throws IOException {
        StringBuilder sb = new StringBuilder("epoch\taccuracy\tcost\tdirectory\n");
        for (ParetoPoint p : getFront()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%d\t%.17g\t%d\t%s%n",
                    p.epoch(),
                    p.accuracy(),
                    p.cost(),
                    p.directory().getFileName()));
        }
        AtomicFiles.writeString(directory.resolve(INDEX), sb.toString());
    }

    /** Builder: every setting is required. */
    public static final class Builder {
        private Model model;
        private Path directory;
        private DoubleSupplier accuracy;
        private LongSupplier cost;

        private Builder() {}

        public Builder setModel(Model model) {
            this.model = model;
            return this;
        }

        public Builder setDirectory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Validation accuracy measured after each epoch (higher is better). */
        public Builder setAccuracy(DoubleSupplier accuracy) {
            this.accuracy = accuracy;
            return this;
        }

        /** Resource cost measured after each epoch (lower is better; HGQ: exact EBOPs after calibration). */
        public Builder setCost(LongSupplier cost) {
            this.cost = cost;
            return this;
        }

        public ParetoCheckpointer build() {
            if (model == null || directory == null || accuracy == null || cost == null) {
                throw new IllegalArgumentException(
                        "ParetoCheckpointer: model, directory, accuracy and cost are required (model=" + model
                                + ", directory=" + directory + ")");
            }
            return new ParetoCheckpointer(this);
        }
    }
}
