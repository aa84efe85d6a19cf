package org.qat4j.core.train.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * A piecewise β schedule (HGQ2's {@code PieceWiseSchedule}, arXiv 2405.00645 §4.4): points
 * {@code (epoch_j, β_j, interpolation_j)}; between point j and j+1 β is interpolated linearly,
 * {@code β_j + (β_{j+1} − β_j)·t}, or logarithmically, {@code β_j·(β_{j+1}/β_j)^t}, with
 * {@code t = (e − e_j)/(e_{j+1} − e_j)}; before the first point β is the first value, after the last
 * point the last value.
 */
public final class PiecewiseBetaSchedule implements BetaSchedule {

    /** How β moves from one point to the next. */
    public enum Interpolation {
        LINEAR,
        LOG,
        /** Hold β_j until the next point. */
        CONSTANT
    }

    private record Point(int epoch, double beta, Interpolation toNext) {}

    private final List<Point> points;

    private PiecewiseBetaSchedule(List<Point> points) {
        this.points = List.copyOf(points);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A log ramp from β0 at epoch e0 to β1 at epoch e1, constant outside. */
    public static PiecewiseBetaSchedule logRamp(int e0, double beta0, int e1, double beta1) {
        return builder()
                .addPoint(e0, beta0, Interpolation.LOG)
                .addPoint(e1, beta1, Interpolation.CONSTANT)
                .build();
    }

    @Override
    public double beta(int epoch) {
        if (epoch <= points.get(0).epoch()) {
            return points.get(0).beta();
        }
        for (int j = 0; j + 1 < points.size(); j++) {
            Point a = points.get(j);
            Point b = points.get(j + 1);
            if (epoch < b.epoch()) {
                double t = (epoch - a.epoch()) / (double) (b.epoch() - a.epoch());
                switch (a.toNext()) {
                    case LINEAR:
                        return a.beta() + (b.beta() - a.beta()) * t;
                    case LOG:
                        return a.beta() * Math.pow(b.beta() / a.beta(), t);
                    default:
                        return a.beta();
                }
            }
        }
        return points.get(points.size() - 1).beta();
    }

    /** Builder; points must be added in strictly increasing epoch order. */
    public static final class Builder {
        private final List<Point> points = new ArrayList<>();

        private Builder() {}

        /**
         * Adds a point.
         *
         * @param epoch the epoch at which β equals {@code beta}
         * @param beta the value, finite and ≥ 0 (> 0 when a LOG segment starts or ends here)
         * @param toNext how β moves to the next point
         * @return this builder
         */
        public Builder addPoint(int epoch, double beta, Interpolation toNext) {
            if (!(beta >= 0) || Double.isInfinite(beta)) {
                throw new IllegalArgumentException("beta at epoch " + epoch + " must be finite and >= 0, got " + beta);
            }
            if (!points.isEmpty() && epoch <= points.get(points.size() - 1).epoch()) {
                throw new IllegalArgumentException("schedule points must have increasing epochs: epoch " + epoch
                        + " after epoch " + points.get(points.size() - 1).epoch());
            }
            if (toNext == null) {
                throw new IllegalArgumentException("interpolation must not be null (epoch " + epoch + ")");
            }
            points.add(new Point(epoch, beta, toNext));
            return this;
        }

        public PiecewiseBetaSchedule build() {
            if (points.isEmpty()) {
                throw new IllegalArgumentException("a schedule needs at least one point: call addPoint");
            }
            for (int j = 0; j + 1 < points.size(); j++) {
                Point a = points.get(j);
                if (a.toNext() == Interpolation.LOG
                        && (a.beta() == 0 || points.get(j + 1).beta() == 0)) {
                    throw new IllegalArgumentException("a LOG segment needs beta > 0 at both ends: epochs " + a.epoch()
                            + " -> " + points.get(j + 1).epoch() + " have " + a.beta() + " -> "
                            + points.get(j + 1).beta());
                }
            }
            return new PiecewiseBetaSchedule(points);
        }
    }
}
