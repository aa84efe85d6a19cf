package org.qat4j.examples.recipe;

import org.qat4j.core.method.QatMethod;
import org.qat4j.hgq.method.HgqMethod;
import org.qat4j.hgq.nn.HConv2d;
import org.qat4j.hgq.nn.HDense;

/**
 * What every HGQ recipe (arXiv 2405.00645) does the same way: the settings' β ramped by
 * {@link HgqMethod}, which also records EBOPs, calibrates before export and reports bit statistics.
 * With {@code --uniform-bits B} the same network is built with fixed B-bit formats ({@link UniformBits}) and trained with β = 0: the baseline HGQ is
 * compared against.
 */
abstract class HgqPlan implements RecipePlan {

    private final RecipeSettings settings;
    private final double beta;
    private final UniformBits uniform;
    private final HgqMethod method;

    HgqPlan(RecipeSettings settings, double defaultBeta) {
        settings.refuse("--variant", settings.variant());
        settings.refuse("--acc-bits", settings.accumulatorBits());
        settings.refuse("--init-from", settings.initFrom());
        this.settings = settings;
        if (settings.uniformBits() != null) {
            if (settings.beta() != null) {
                throw new IllegalArgumentException(
                        "--beta " + settings.beta() + " cannot be combined with --uniform-bits "
                                + settings.uniformBits() + ": the uniform baseline trains no bits (beta = 0)");
            }
            this.uniform = new UniformBits(settings.uniformBits());
            this.beta = 0;
        } else {
            this.uniform = null;
            this.beta = settings.beta() == null ? defaultBeta : settings.beta();
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("--beta must be finite and >= 0, got " + beta);
        }
        // the uniform baseline trains no bits: β stays at the layers' default 0
        this.method = uniform != null
                ? HgqMethod.builder().build()
                : HgqMethod.builder().optBetaRamp(beta).build();
    }

    /** A dense layer with {@code fanIn} inputs: as given, or with the uniform baseline's formats. */
    HDense.Builder quantized(HDense.Builder layer, UniformBits.Input input, long fanIn) {
        return uniform == null ? layer : uniform.apply(layer, input, fanIn);
    }

    /** A 2-D convolution with {@code fanIn} = C_in·k_h·k_w: as given, or with the uniform baseline's formats. */
    HConv2d.Builder quantized(HConv2d.Builder layer, UniformBits.Input input, long fanIn) {
        return uniform == null ? layer : uniform.apply(layer, input, fanIn);
    }

    @Override
    public RecipeSettings settings() {
        return settings;
    }

    @Override
    public QatMethod method() {
        return method;
    }
}
