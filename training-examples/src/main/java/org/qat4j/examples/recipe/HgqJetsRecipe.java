package org.qat4j.examples.recipe;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.dataset.Dataset;
import java.io.IOException;
import org.qat4j.datasets.EpochSeededSampler;
import org.qat4j.datasets.JetTaggingData;
import org.qat4j.datasets.TensorDataset;
import org.qat4j.hgq.nn.HActivationType;
import org.qat4j.hgq.nn.HDense;

/**
 * {@code hgq-jets}: the HGQ paper's jet-tagging MLP 16-64-32-32-5 (arXiv 2405.00645 §5; data: hls4ml
 * LHC jets, OpenML {@code hls4ml_lhc_jets_hlf}, arXiv 1804.06913) with per-weight and per-input bits,
 * trained on a user-provided CSV or ARFF file ({@code --data FILE}; standardized, 80/20 split).
 */
public final class HgqJetsRecipe implements Recipe {

    /** The recipe's name. */
    public static final String NAME = "hgq-jets";
    /** Final β when not given. */
    public static final double DEFAULT_BETA = 1e-6;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "HGQ jet-tagging MLP 16-64-32-32-5 on hls4ml_lhc_jets_hlf (--data FILE.csv|.arff, --beta)";
    }

    @Override
    public RecipeDefaults defaults() {
        return new RecipeDefaults(10, 1024, 3e-3f, 0);
    }

    @Override
    public RecipePlan plan(RecipeSettings settings) {
        if (settings.dataFile() == null) {
            throw new IllegalArgumentException(
                    "recipe " + NAME + " needs --data FILE (the hls4ml_lhc_jets_hlf " + "CSV or ARFF from OpenML)");
        }
        settings.refuse("--data-dir", settings.dataDirectory());
        return new HgqPlan(settings, DEFAULT_BETA) {
            @Override
            public Block newBlock() {
                return new SequentialBlock()
                        .add(quantized(
                                        HDense.builder().setUnits(64).optActivation(HActivationType.RELU),
                                        UniformBits.Input.STANDARDIZED,
                                        JetTaggingData.FEATURES)
                                .build())
                        .add(quantized(
                                        HDense.builder().setUnits(32).optActivation(HActivationType.RELU),
                                        UniformBits.Input.RELU,
                                        64)
                                .build())
                        .add(quantized(
                                        HDense.builder().setUnits(32).optActivation(HActivationType.RELU),
                                        UniformBits.Input.RELU,
                                        32)
                                .build())
                        .add(quantized(HDense.builder().setUnits(JetTaggingData.CLASSES), UniformBits.Input.RELU, 32)
                                .build());
            }

            @Override
            public Shape sampleShape() {
                return new Shape(JetTaggingData.FEATURES);
            }

            @Override
            public RecipeData loadData(EpochSeededSampler sampler) throws IOException {
                JetTaggingData.Builder b = JetTaggingData.builder()
                        .setFile(settings.dataFilePath())
                        .optSeed(settings.seed());
                if (settings.trainLimit() > 0) {
                    // the limit applies before the 80/20 split: keep train_limit training rows
                    b.optLimit((int) Math.min(Integer.MAX_VALUE, settings.trainLimit() * 5 / 4));
                }
                JetTaggingData data = b.build();
                TensorDataset train = data.datasetBuilder(Dataset.Usage.TRAIN)
                        .setSampling(sampler)
                        .build();
                TensorDataset test = data.datasetBuilder(Dataset.Usage.TEST)
                        .setSampling(FashionMnistData.TEST_BATCH, false)
                        .build();
                return new RecipeData(train, test, JetTaggingData.CLASSES);
            }
        };
    }
}
