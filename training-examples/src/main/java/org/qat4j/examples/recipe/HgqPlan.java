package org.qat4j.examples.recipe;

import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import org.qat4j.core.method.QatMethod;
import org.qat4j.hgq.method.HgqMethod;
import org.qat4j.hgq.nn.HConv2d;
import org.qat4j.hgq.nn.HDense;
import org.qat4j.ptq.apply.HgqFromPtq;

/**
 * What every HGQ recipe (arXiv 2405.00645) does the same way: the settings' β ramped by
 * {@link HgqMethod}, which also records EBOPs, calibrates before export and reports bit statistics.
 * With {@code --uniform-bits B} the same network is built with fixed B-bit formats ({@link UniformBits}) and trained with β = 0: the baseline HGQ is
 * compared against. With {@code --init-from PTQ_RUN} the network starts from a {@code qat ptq} run of the recipe's
 * float twin ({@link HgqFromPtq}: its weights, and its steps as the initial fractional bits).
 */
abstract class HgqPlan implements RecipePlan {

    private final RecipeSettings settings;
    private final double beta;
    private final UniformBits uniform;
    private final HgqMethod method;

    HgqPlan(RecipeSettings settings, double defaultBeta) {
        settings.refuse("--variant", settings.variant());
        settings.refuse("--acc-bits", settings.accumulatorBits());
        this.settings = settings;
        if (settings.uniformActivationBits() != null && settings.uniformBits() == null) {
            throw new IllegalArgumentException("--uniform-act-bits " + settings.uniformActivationBits()
                    + " needs --uniform-bits: it sets the activations' width of the uniform baseline");
        }
        if (settings.uniformBits() != null) {
            if (settings.beta() != null) {
                throw new IllegalArgumentException(
                        "--beta " + settings.beta() + " cannot be combined with --uniform-bits "
                                + settings.uniformBits() + ": the uniform baseline trains no bits (beta = 0)");
            }
            if (settings.initFrom() != null) {
                throw new IllegalArgumentException("--init-from " + settings.initFrom() + " cannot be combined with "
                        + "--uniform-bits " + settings.uniformBits() + ": the uniform baseline's formats are fixed");
            }
            this.uniform = new UniformBits(
                    settings.uniformBits(),
                    settings.uniformActivationBits() == null
                            ? settings.uniformBits()
                            : settings.uniformActivationBits());
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

    /**
     * {@code --init-from PTQ_RUN}: only a finished {@code qat ptq} run of the recipe's float twin (checked reading
     * only, before any data is loaded).
     */
    @Override
    public void checkInitFrom() throws IOException {
        Path dir = settings.initFromPath();
        if (dir == null) {
            return;
        }
        if (!PtqWarmStart.isPtqRun(dir)) {
            throw new IllegalArgumentException("--init-from " + dir + " is not a qat ptq run (no "
                    + PtqRunner.SETTINGS_FILE + "): an HGQ recipe starts only from a PTQ run of its float twin");
        }
        PtqWarmStart.check(dir, settings.recipe());
    }

    /** Starts from the PTQ run's weights and steps ({@link HgqFromPtq}). */
    @Override
    public boolean beforeTraining(Block block) throws IOException {
        if (settings.initFrom() == null) {
            return false;
        }
        checkInitFrom();
        PtqWarmStart.load(
                settings.initFromPath(),
                settings.recipe(),
                twin -> HgqFromPtq.transfer(twin, block).notes());
        return true;
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
