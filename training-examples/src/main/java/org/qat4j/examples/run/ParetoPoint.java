package org.qat4j.examples.run;

/**
 * One trained model on the accuracy–cost plane (HGQ, arXiv 2405.00645 §5: accuracy against EBOPs).
 *
 * @param label what produced the point (e.g. {@code epoch 7} or {@code uniform 6-bit})
 * @param accuracy test accuracy in [0, 1]
 * @param ebops exact effective bit operations
 */
public record ParetoPoint(String label, double accuracy, double ebops) {

    /** Whether this point is at least as good in both and better in one (higher accuracy, fewer EBOPs). */
    public boolean dominates(ParetoPoint other) {
        return accuracy >= other.accuracy && ebops <= other.ebops
                && (accuracy > other.accuracy || ebops < other.ebops);
    }
}
