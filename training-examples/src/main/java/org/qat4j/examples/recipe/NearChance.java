package org.qat4j.examples.recipe;

import java.util.Locale;
import org.qat4j.examples.run.RunMetrics;

/**
 * A run that "succeeds" at chance level (certificate valid, bit-exact, 10% on ten classes) has learned
 * nothing; it is said plainly at the end and recorded in {@code metrics.json} ({@code nearChance}).
 */
public final class NearChance {

    /** Within this many accuracy points (absolute, as a fraction) of chance counts as chance. */
    public static final double MARGIN = 0.02;

    private NearChance() {}

    /**
     * Records {@code nearChance} (and {@code chanceAccuracy}) in {@code metrics}.
     *
     * @return the warning to print, or null when the integer test accuracy is clearly above chance
     */
    public static String check(RunMetrics metrics, int classes) {
        Double accuracy = metrics.getIntegerTestAccuracy() != null
                ? metrics.getIntegerTestAccuracy()
                : metrics.getFloatTestAccuracy();
        if (accuracy == null || classes < 2) {
            return null;
        }
        double chance = 1.0 / classes;
        boolean near = accuracy <= chance + MARGIN;
        metrics.putExtra("chanceAccuracy", chance);
        metrics.putExtra("nearChance", near);
        return near
                ? String.format(
                        Locale.ROOT,
                        "warning: test accuracy %.2f%% is within %.0f points of chance "
                                + "(%.2f%% for %d classes): the network learned nothing useful, although its certificate and "
                                + "bit-exactness may hold; lower the regularizer, raise --acc-bits, train longer or start from a "
                                + "trained network",
                        100 * accuracy,
                        100 * MARGIN,
                        100 * chance,
                        classes)
                : null;
    }
}
