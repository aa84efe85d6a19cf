package org.qat4j.examples.recipe;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import org.qat4j.a2q.method.A2qMethod;
import org.qat4j.a2q.nn.QConv2d;
import org.qat4j.a2q.nn.QLinear;
import org.qat4j.a2q.nn.QReLU;
import org.qat4j.a2q.quant.ActivationQuantizer;
import org.qat4j.a2q.train.A2qOptimizers;
import org.qat4j.core.method.QatMethod;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.runtime.bound.A2qBounds;
import org.qat4j.runtime.model.A2qConstraint.Variant;

/**
 * {@code a2q-fashion-cnn}: a W4A4 CNN on Fashion-MNIST whose inner layers' P-bit accumulators provably
 * never overflow (A2Q, arXiv 2308.13504; A2Q+, arXiv 2401.10432), set up like the papers' CIFAR-10
 * experiments: 4-bit weights and unsigned 4-bit activations in the constrained layers, first and last
 * layers 8-bit and unconstrained.
 * <pre>
 *   u8 input → conv 1→16 3×3 (8-bit, unconstrained) → QReLU u4
 *            → conv 16→32 3×3 /2 (4-bit, A2Q|A2Q+, P) → QReLU u4
 *            → conv 32→32 3×3 /2 (4-bit, A2Q|A2Q+, P) → QReLU u4 → flatten → linear 1568→10 (8-bit, unconstrained)
 * </pre>
 * Options: {@code --variant a2q|a2q+|unconstrained|float} (default {@code a2q+}), {@code --acc-bits P} (default 16),
 * {@code --init-from RUN_DIR} (a warm-up run of this recipe, or a {@code qat ptq} run of its float twin).
 * Weight decay 1e-5 on the float weights only (arXiv 2308.13504 §5), Adam.
 *
 * <p>The papers fine-tune a trained network under the accumulator constraint. Here the warm-up is a run with
 * {@code --variant unconstrained} (the same W4A4 network, every layer plain per-channel 4/8-bit, no P), and
 * each A2Q / A2Q+ run starts from it with {@code --init-from}: parameters copied, {@code g = ‖v‖₁} re-derived,
 * and for A2Q+ EP-init (arXiv 2401.10432 §4.2) projecting the weights into the accumulator bound. A NaN or
 * infinite loss stops the run (no update is skipped).
 */
public final class A2qFashionCnnRecipe implements Recipe {

    /** The recipe's name. */
    public static final String NAME = "a2q-fashion-cnn";
    /** P when not given. */
    public static final int DEFAULT_ACCUMULATOR_BITS = 16;
    /** Accumulator width declared by the unconstrained first and last layers. */
    static final int UNCONSTRAINED_ACCUMULATOR_BITS = 32;

    private static final float WEIGHT_DECAY = 1e-5f;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "W4A4 CNN on Fashion-MNIST, inner layers A2Q or A2Q+ with P-bit accumulators "
                + "(--variant a2q|a2q+|unconstrained|float, --acc-bits P, --init-from WARM_UP_OR_PTQ_RUN)";
    }

    @Override
    public RecipeDefaults defaults() {
        return new RecipeDefaults(4, 64, 1e-3f, 0);
    }

    @Override
    public RecipePlan plan(RecipeSettings settings) {
        settings.refuse("--beta", settings.beta());
        settings.refuse("--data", settings.dataFile());
        settings.refuse("--uniform-bits", settings.uniformBits());
        settings.refuse("--uniform-act-bits", settings.uniformActivationBits());
        if (FloatPlan.requested(settings)) {
            return new FloatPlan(
                    settings,
                    A2qFashionCnnRecipe::floatNetwork,
                    new Shape(1, 28, 28),
                    sampler -> FashionMnistData.load(settings, sampler, false));
        }
        Variant variant = settings.variant() == null ? Variant.A2Q_PLUS : parseVariant(settings.variant());
        if (variant == Variant.UNCONSTRAINED && settings.accumulatorBits() != null) {
            throw new IllegalArgumentException("--acc-bits " + settings.accumulatorBits() + " has no effect with "
                    + "--variant unconstrained (no layer is accumulator-constrained)");
        }
        int p = variant == Variant.UNCONSTRAINED
                ? UNCONSTRAINED_ACCUMULATOR_BITS
                : settings.accumulatorBits() == null ? DEFAULT_ACCUMULATOR_BITS : settings.accumulatorBits();
        if (p < 2 || p > 32) {
            throw new IllegalArgumentException("--acc-bits (P) must be in [2, 32], got " + p);
        }
        if (variant.isConstrained()) {
            // the constrained layers read 4-bit unsigned activations (QReLU.of(4))
            int smallest = variant == Variant.A2Q
                    ? A2qBounds.minAccumulatorBitsA2q(1, 4, false)
                    : A2qBounds.minAccumulatorBitsA2qPlus(1, 0, 4);
            if (p < smallest) {
                throw new IllegalArgumentException("--acc-bits " + p + " is below " + smallest + ", the smallest P at "
                        + "which a --variant " + variant.cliName() + " layer with 4-bit unsigned inputs can hold any "
                        + "non-zero weight");
            }
        }
        return new Plan(settings, variant, p);
    }

    /**
     * The same network in plain DJL float layers ({@code --variant float}): what {@code qat ptq} quantizes, and
     * whose PTQ runs ({@code qat ptq ... --first-last-bits 8}) can start an A2Q / A2Q+ run with {@code --init-from}.
     */
    static Block floatNetwork() {
        return new SequentialBlock()
                .add(ai.djl.nn.convolutional.Conv2d.builder()
                        .setFilters(16)
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .build())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(ai.djl.nn.convolutional.Conv2d.builder()
                        .setFilters(32)
                        .setKernelShape(new Shape(3, 3))
                        .optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1))
                        .build())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(ai.djl.nn.convolutional.Conv2d.builder()
                        .setFilters(32)
                        .setKernelShape(new Shape(3, 3))
                        .optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1))
                        .build())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(ai.djl.nn.core.Linear.builder().setUnits(10).build());
    }

    /** {@code a2q}, {@code a2q+} or {@code unconstrained} (case-insensitive). */
    static Variant parseVariant(String text) {
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "a2q":
                return Variant.A2Q;
            case "a2q+":
            case "a2q-plus":
                return Variant.A2Q_PLUS;
            case "unconstrained":
                return Variant.UNCONSTRAINED;
            default:
                throw new IllegalArgumentException("--variant must be a2q, a2q+ or unconstrained, got " + text);
        }
    }

    private static final class Plan implements RecipePlan {
        private final RecipeSettings settings;
        private final Variant variant;
        private final int accumulatorBits;

        Plan(RecipeSettings settings, Variant variant, int accumulatorBits) {
            this.settings = settings;
            this.variant = variant;
            this.accumulatorBits = accumulatorBits;
        }

        @Override
        public RecipeSettings settings() {
            return settings;
        }

        @Override
        public Block newBlock() {
            // Pixels are x/255 in [0, 1]: an unsigned 8-bit input with scale 1/255 holds them as trained.
            ActivationQuantizer input =
                    ActivationQuantizer.builder().setBits(8).optSigned(false).build();
            QReLU relu1 = QReLU.of(4);
            QReLU relu2 = QReLU.of(4);
            QReLU relu3 = QReLU.of(4);
            return new SequentialBlock()
                    .add(QConv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .setFilters(16)
                            .optPadding(new Shape(1, 1))
                            .setVariant(Variant.UNCONSTRAINED)
                            .setWeightBits(8)
                            .optAccumulatorBits(UNCONSTRAINED_ACCUMULATOR_BITS)
                            .optInputQuantizer(input)
                            .build())
                    .add(relu1)
                    .add(QConv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .setFilters(32)
                            .optStride(new Shape(2, 2))
                            .optPadding(new Shape(1, 1))
                            .setVariant(variant)
                            .setWeightBits(4)
                            .optAccumulatorBits(accumulatorBits)
                            .optInputFrom(relu1)
                            .build())
                    .add(relu2)
                    .add(QConv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .setFilters(32)
                            .optStride(new Shape(2, 2))
                            .optPadding(new Shape(1, 1))
                            .setVariant(variant)
                            .setWeightBits(4)
                            .optAccumulatorBits(accumulatorBits)
                            .optInputFrom(relu2)
                            .build())
                    .add(relu3)
                    .add(Blocks.batchFlattenBlock())
                    .add(QLinear.builder()
                            .setUnits(10)
                            .setVariant(Variant.UNCONSTRAINED)
                            .setWeightBits(8)
                            .optAccumulatorBits(UNCONSTRAINED_ACCUMULATOR_BITS)
                            .optInputFrom(relu3)
                            .build());
        }

        @Override
        public Shape sampleShape() {
            return new Shape(1, 28, 28);
        }

        @Override
        public RecipeData loadData(EpochSeededSampler sampler) throws IOException {
            return FashionMnistData.load(settings, sampler, false);
        }

        @Override
        public Optimizer newOptimizer(Block block) {
            Tracker lr = Tracker.fixed(settings.learningRate());
            return A2qOptimizers.splitWeightDecay(
                    block,
                    Optimizer.adam()
                            .optLearningRateTracker(lr)
                            .optWeightDecays(WEIGHT_DECAY)
                            .build(),
                    Optimizer.adam()
                            .optLearningRateTracker(lr)
                            .optWeightDecays(0f)
                            .build());
        }

        @Override
        public void checkInitFrom() throws IOException {
            if (settings.initFrom() != null) {
                A2qWarmStart.check(settings.initFromPath(), settings.recipe());
            }
        }

        @Override
        public boolean beforeTraining(Block block) throws IOException {
            if (settings.initFrom() == null) {
                return false;
            }
            A2qWarmStart.load(settings.initFromPath(), settings.recipe(), block, variant == Variant.A2Q_PLUS);
            return true;
        }

        @Override
        public QatMethod method() {
            return A2qMethod.create();
        }
    }
}
