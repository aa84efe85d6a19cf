package org.qat4j.core.train.schedule;

import java.util.List;
import java.util.function.DoubleSupplier;
import org.qat4j.core.train.EpochHook;
import org.qat4j.core.train.EpochSummary;

/**
 * Steers β so that the measured resource cost (EBOPs) approaches a target, like HGQ2's β PID
 * controller (arXiv 2405.00645 follow-up): after every epoch, with the log error
 * {@code e = log10(measured / target)},
 *
 * <pre>  log10 β ← log10 β + kp·e + ki·Σe + kd·(e − e_prev),  clipped to [βmin, βmax]</pre>
 *
 * so β grows while the model is too expensive and shrinks when it is cheaper than needed. The
 * integral is clamped (anti-windup) to {@code ±integralLimit}.
 */
public final class BetaController implements EpochHook {

    private final List<? extends BetaTarget> targets;
    private final DoubleSupplier cost;
    private final double target;
    private final double kp;
    private final double ki;
    private final double kd;
    private final double betaMin;
    private final double betaMax;
    private final double integralLimit;
    private double logBeta;
    private double integral;
    private double previousError = Double.NaN;

    private BetaController(Builder b) {
        this.targets = List.copyOf(b.targets);
        this.cost = b.cost;
        this.target = b.target;
        this.kp = b.kp;
        this.ki = b.ki;
        this.kd = b.kd;
        this.betaMin = b.betaMin;
        this.betaMax = b.betaMax;
        this.integralLimit = b.integralLimit;
        this.logBeta = Math.log10(b.initialBeta);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The current β. */
    public double getBeta() {
        return Math.pow(10, logBeta);
    }

    @Override
    public void beforeEpoch(int epoch) {
        apply();
    }

    @Override
    public void afterEpoch(int epoch, EpochSummary summary) {
        update(cost.getAsDouble());
    }

    /**
     * One controller step from a measured cost; returns the new β (also applied to the targets).
     *
     * @param measured the measured cost (> 0)
     * @return the new β
     */
    public double update(double measured) {
        if (!(measured > 0) || Double.isInfinite(measured)) {
            throw new IllegalArgumentException("BetaController: measured cost must be finite and > 0, got " + measured);
        }
        double e = Math.log10(measured / target);
        integral = Math.max(-integralLimit, Math.min(integralLimit, integral + e));
        double derivative = Double.isNaN(previousError) ? 0 : e - previousError;
        previousError = e;
        logBeta += kp * e + ki * integral + kd * derivative;
        logBeta = Math.max(Math.log10(betaMin), Math.min(Math.log10(betaMax), logBeta));
        apply();
        return getBeta();
    }

    private void apply() {
        double beta = getBeta();
        for (BetaTarget t : targets) {
            t.setBeta(beta);
        }
    }

    /** Builder: targets, cost and target cost are required. */
    public static final class Builder {
        private List<? extends BetaTarget> targets;
        private DoubleSupplier cost;
        private double target = Double.NaN;
        private double initialBeta = 1e-6;
        private double kp = 0.5;
        private double ki = 0.05;
        private double kd = 0.0;
        private double betaMin = 1e-12;
        private double betaMax = 1.0;
        private double integralLimit = 10;

        private Builder() {}

        public Builder setTargets(List<? extends BetaTarget> targets) {
            this.targets = targets;
            return this;
        }

        /** The cost measured after each epoch (for HGQ: EBOPs). */
        public Builder setCost(DoubleSupplier cost) {
            this.cost = cost;
            return this;
        }

        public Builder setTargetCost(double target) {
            this.target = target;
            return this;
        }

        public Builder optInitialBeta(double beta) {
            this.initialBeta = beta;
            return this;
        }

        public Builder optGains(double kp, double ki, double kd) {
            this.kp = kp;
            this.ki = ki;
            this.kd = kd;
            return this;
        }

        public Builder optBetaRange(double min, double max) {
            this.betaMin = min;
            this.betaMax = max;
            return this;
        }

        public Builder optIntegralLimit(double limit) {
            this.integralLimit = limit;
            return this;
        }

        public BetaController build() {
            if (targets == null || cost == null) {
                throw new IllegalArgumentException("BetaController: targets and cost are required");
            }
            if (!(target > 0) || Double.isInfinite(target)) {
                throw new IllegalArgumentException("BetaController: targetCost must be finite and > 0, got " + target);
            }
            if (!(betaMin > 0) || !(betaMax >= betaMin) || Double.isInfinite(betaMax)) {
                throw new IllegalArgumentException("BetaController: betaRange must satisfy 0 < min <= max < inf, got ["
                        + betaMin + ", " + betaMax + "]");
            }
            if (!(initialBeta >= betaMin && initialBeta <= betaMax)) {
                throw new IllegalArgumentException("BetaController: initialBeta must lie in betaRange [" + betaMin
                        + ", " + betaMax + "], got " + initialBeta);
            }
            for (double g : new double[] {kp, ki, kd}) {
                if (!Double.isFinite(g) || g < 0) {
                    throw new IllegalArgumentException(
                            "BetaController: gains must be finite and >= 0, got kp=" + kp + " ki=" + ki + " kd=" + kd);
                }
            }
            if (!(integralLimit >= 0)) {
                throw new IllegalArgumentException("BetaController: integralLimit must be >= 0, got " + integralLimit);
            }
            return new BetaController(this);
        }
    }
}
