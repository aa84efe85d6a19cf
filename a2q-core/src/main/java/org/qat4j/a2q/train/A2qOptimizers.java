package org.qat4j.a2q.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import java.util.HashSet;
import java.util.Set;
import org.qat4j.a2q.nn.AbstractQLayer;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.core.train.BlockTrees;

/**
 * Keeps A2Q's norm and scale parameters out of weight decay, as the papers' recipe requires (weight decay 1e-5 on
 * weights only: none on biases, g, s; arXiv 2308.13504, Sec. 5; arXiv 2401.10432, Sec. 5).
 *
 * <p>DJL optimizers apply one weight decay to every parameter. {@link #splitWeightDecay} returns an optimizer that
 * routes each parameter, by its id, either to an optimizer with weight decay (the float weights v and every other
 * parameter of the model) or to an identical one without it (log2 g, log2 s, activation scales and biases). Build
 * the two delegates with the same settings except {@code optWeightDecays}; each keeps its own state (e.g. Adam
 * moments) for the parameters it receives.
 */
public final class A2qOptimizers {

    private A2qOptimizers() {}

    /** The ids of the parameters that must not decay: log2 g, log2 s, activation scales, A2Q layer biases. */
    public static Set<String> undecayedParameterIds(Block root) {
        Set<String> ids = new HashSet<>();
        for (AbstractQLayer layer : BlockTrees.find(root, AbstractQLayer.class)) {
            ids.add(layer.getWeightQuantizer().getLog2Norm().getId());
            ids.add(layer.getWeightQuantizer().getLog2Scale().getId());
            if (layer.getBiasParameter() != null) {
                ids.add(layer.getBiasParameter().getId());
            }
        }
        for (ActivationQuantizer q : BlockTrees.find(root, ActivationQuantizer.class)) {
            ids.add(q.getScaleParameter().getId());
        }
        return ids;
    }

    /**
     * An optimizer that sends the parameters of {@link #undecayedParameterIds} to {@code withoutDecay} and all others
     * to {@code withDecay}.
     */
    public static Optimizer splitWeightDecay(Block root, Optimizer withDecay, Optimizer withoutDecay) {
        return new Split(undecayedParameterIds(root), withDecay, withoutDecay);
    }

    /** True if {@code p} would be excluded from weight decay in {@code root}. */
    public static boolean isUndecayed(Block root, Parameter p) {
        return undecayedParameterIds(root).contains(p.getId());
    }

    private static final class Split extends Optimizer {
        private final Set<String> undecayed;
        private final Optimizer withDecay;
        private final Optimizer withoutDecay;

        Split(Set<String> undecayed, Optimizer withDecay, Optimizer withoutDecay) {
            super(new NoSettings());
            this.undecayed = Set.copyOf(undecayed);
            this.withDecay = withDecay;
            this.withoutDecay = withoutDecay;
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            (undecayed.contains(parameterId) ? withoutDecay : withDecay).update(parameterId, weight, grad);
        }
    }

    private static final class NoSettings extends Optimizer.OptimizerBuilder<NoSettings> {
        @Override
        protected NoSettings self() {
            return this;
        }
    }
}
