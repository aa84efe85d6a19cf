package org.qat4j.hgq.calib;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.qat4j.core.engine.NoGradScope;
import org.qat4j.core.train.BlockTrees;
import org.qat4j.hgq.quant.HgqQuantizer;

/**
 * The calibration pass ("trace min/max", HGQ arXiv 2405.00645 §4.2) run before export: every
 * activation quantizer forgets its recorded range, the model runs in evaluation mode on calibration
 * data while quantizers record the range of their quantized values (without overflow), and the
 * integer bits are then re-derived exactly from what was seen. Data outside the calibration range may
 * overflow at inference (WRAP or SAT, as configured), a known property of the method.
 */
public final class HgqCalibration {

    private HgqCalibration() {}

    /**
     * Calibrates on the given input batches.
     *
     * @param root the model's block
     * @param manager a manager for temporaries (batches' outputs are closed as they go)
     * @param inputs the model inputs, one NDList per batch
     * @return the number of batches seen
     */
    public static long traceMinMax(Block root, NDManager manager, Iterable<NDList> inputs) {
        List<HgqQuantizer> quantizers = BlockTrees.find(root, HgqQuantizer.class);
        quantizers.forEach(HgqQuantizer::resetRanges);
        quantizers.forEach(q -> q.setCalibrating(true));
        long batches = 0;
        try (NoGradScope ignored = NoGradScope.open()) {
            ParameterStore ps = new ParameterStore(manager, false);
            for (NDList input : inputs) {
                try (NDManager sub = manager.newSubManager()) {
                    NDList out = root.forward(ps, input, false);
                    out.attach(sub);
                }
                batches++;
            }
        } finally {
            quantizers.forEach(q -> q.setCalibrating(false));
        }
        if (batches == 0) {
            throw new IllegalArgumentException("calibration data is empty: no batch was seen");
        }
        return batches;
    }

    /**
     * Calibrates on every batch of a dataset (its data part).
     *
     * @param root the model's block
     * @param manager a manager for the batches
     * @param data the calibration dataset
     * @return the number of batches seen
     */
    public static long traceMinMax(Block root, NDManager manager, Dataset data) {
        Iterable<Batch> batches;
        try {
            batches = data.getData(manager);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the calibration dataset: " + e.getMessage(), e);
        } catch (TranslateException e) {
            throw new IllegalStateException("cannot batch the calibration dataset: " + e.getMessage(), e);
        }
        List<HgqQuantizer> quantizers = BlockTrees.find(root, HgqQuantizer.class);
        quantizers.forEach(HgqQuantizer::resetRanges);
        quantizers.forEach(q -> q.setCalibrating(true));
        long count = 0;
        try (NoGradScope ignored = NoGradScope.open()) {
            ParameterStore ps = new ParameterStore(manager, false);
            for (Batch batch : batches) {
                try (batch) {
                    NDList out = root.forward(ps, batch.getData(), false);
                    out.attach(batch.getManager());
                }
                count++;
            }
        } finally {
            quantizers.forEach(q -> q.setCalibrating(false));
        }
        if (count == 0) {
            throw new IllegalArgumentException("calibration dataset is empty: no batch was seen");
        }
        return count;
    }
}
