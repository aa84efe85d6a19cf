package org.qat4j.examples.recipe;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optimizer that leaves a parameter unchanged for a step whose gradient holds a NaN or infinity,
 * and counts those skips per parameter; every finite gradient goes to the delegate unchanged. The
 * A2Q recipe needs it: the gradient of an A2Q layer's {@code log2 s} occasionally became NaN in our
 * Fashion-MNIST runs while every other gradient stayed finite, and one such update poisons the whole
 * network. The counts are reported in {@code metrics.json}, so a run shows how often it happened.
 */
final class NonFiniteGradientGuard extends Optimizer {

    private static final Logger LOG = LoggerFactory.getLogger(NonFiniteGradientGuard.class);

    private final Optimizer delegate;
    private final Map<String, Long> skipped = new TreeMap<>();

    NonFiniteGradientGuard(Optimizer delegate) {
        super(new NoSettings());
        this.delegate = delegate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        boolean finite;
        try (NDArray bad = grad.isNaN().logicalOr(grad.isInfinite()).any()) {
            finite = !bad.getBoolean();
        }
        if (finite) {
            delegate.update(parameterId, weight, grad);
        } else {
            long n = skipped.merge(parameterId, 1L, Long::sum);
            if (n == 1) {
                LOG.warn("non-finite gradient for parameter {}: update skipped (counted in metrics.json)", parameterId);
            }
        }
    }

    /** Skipped updates per parameter id. */
    synchronized Map<String, Long> skipped() {
        return new TreeMap<>(skipped);
    }

    private static final class NoSettings extends Optimizer.OptimizerBuilder<NoSettings> {
        @Override
        protected NoSettings self() {
            return this;
        }
    }
}
