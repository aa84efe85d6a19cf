package org.qat4j.core.train.pareto;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One trained model on the accuracy–cost plane, as HGQ reports its results (arXiv 2405.00645 §5: accuracy
 * against EBOPs): a label saying what produced it, its accuracy (higher is better) and its resource cost
 * (lower is better; for HGQ the exact EBOPs). A point {@link ParetoCheckpointer} kept also names its epoch
 * and the directory its model is saved in. In a run's {@code metrics.json} a point is
 * {@code {"label", "accuracy", "ebops"}}; epoch and directory are not written there.
 */
public final class ParetoPoint {

    private final String label;
    private final double accuracy;
    /** The cost; named as the field of {@code metrics.json}. */
    private final double ebops;

    private final transient int epoch;
    private final transient Path directory;

    /**
     * A point of a plot or a sweep.
     *
     * @param label what produced the point (e.g. {@code epoch 7} or {@code uniform 6-bit})
     * @param accuracy accuracy in [0, 1]
     * @param ebops the cost, exact effective bit operations for HGQ
     */
    public ParetoPoint(String label, double accuracy, double ebops) {
        this(label, accuracy, ebops, 0, null);
    }

    /**
     * A checkpoint on the front, labelled {@code epoch N}.
     *
     * @param epoch the epoch whose model was saved
     * @param accuracy validation accuracy
     * @param cost resource cost (HGQ: exact EBOPs after calibration)
     * @param directory where the model is saved
     */
    public ParetoPoint(int epoch, double accuracy, long cost, Path directory) {
        this("epoch " + epoch, accuracy, cost, epoch, directory);
    }

    private ParetoPoint(String label, double accuracy, double ebops, int epoch, Path directory) {
        this.label = label;
        this.accuracy = accuracy;
        this.ebops = ebops;
        this.epoch = epoch;
        this.directory = directory;
    }

    /** What produced the point. */
    public String label() {
        return label;
    }

    /** Accuracy, higher is better. */
    public double accuracy() {
        return accuracy;
    }

    /** The cost as recorded (EBOPs for HGQ), lower is better. */
    public double ebops() {
        return ebops;
    }

    /** The cost of a checkpoint, an integer (exact EBOPs). */
    public long cost() {
        return (long) ebops;
    }

    /** The epoch of a checkpoint (0 for a point that is not one). */
    public int epoch() {
        return epoch;
    }

    /** Where a checkpoint's model is saved, or null for a point that is not one. */
    public Path directory() {
        return directory;
    }

    /** Whether this point is at least as good in both and better in one (higher accuracy, lower cost). */
    public boolean dominates(ParetoPoint other) {
        return accuracy >= other.accuracy && ebops <= other.ebops && (accuracy > other.accuracy || ebops < other.ebops);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParetoPoint p
                && Objects.equals(label, p.label)
                && Double.compare(accuracy, p.accuracy) == 0
                && Double.compare(ebops, p.ebops) == 0
                && epoch == p.epoch
                && Objects.equals(directory, p.directory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, accuracy, ebops, epoch, directory);
    }

    @Override
    public String toString() {
        return "ParetoPoint[label=" + label + ", accuracy=" + accuracy + ", ebops=" + ebops
                + (directory == null ? "" : ", directory=" + directory) + "]";
    }
}
