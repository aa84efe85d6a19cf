package org.qat4j.core.method;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.dataset.Dataset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.qat4j.core.train.EpochHook;
import org.qat4j.runtime.model.IntegerModel;

/**
 * What a quantization method (HGQ, arXiv 2405.00645; A2Q/A2Q+, arXiv 2308.13504, 2401.10432) does to a
 * network built from its blocks, independent of any recipe or data set: the hooks it runs around
 * every epoch (e.g. HGQ's β ramp, §4.4), the values it records per epoch, the preparation before export
 * (e.g. HGQ's min/max calibration), the export to an integer model, and the bit statistics it reports.
 * A network built outside a recipe (a wrapped float model, post-training quantization) uses the same
 * method; {@link org.qat4j.core.export.ExportPipeline} then writes, proves, checks and verifies it.
 */
public interface QatMethod {

    /** The method's name as recorded in the model's provenance, e.g. {@code HGQ} or {@code A2Q}. */
    String name();

    /** Hooks run around every epoch of a run of {@code epochs} epochs; none by default. */
    default List<EpochHook> epochHooks(Block block, int epochs) {
        return List.of();
    }

    /** Values recorded per epoch next to loss and accuracy (e.g. HGQ's EBOPs); none by default. */
    default Map<String, Double> epochMetrics(Block block) {
        return Map.of();
    }

    /** Makes a trained network ready for export, e.g. HGQ's min/max calibration on {@code calibration}. */
    default void prepareExport(Block block, NDManager manager, Dataset calibration) {}

    /**
     * The integer model computing exactly what {@code block} computes in evaluation mode.
     *
     * @param block the prepared network
     * @param sampleShape the shape of one input sample (without the batch axis)
     * @param recipe free text naming how the network was made (provenance)
     * @param seed the run's random seed (provenance)
     * @param settings further settings recorded in the provenance, in order
     */
    IntegerModel export(Block block, Shape sampleShape, String recipe, long seed, Map<String, String> settings);

    /** Exact EBOPs of the prepared network (HGQ, arXiv 2405.00645 §4.3), empty for other methods. */
    default OptionalLong exactEbops(Block block) {
        return OptionalLong.empty();
    }

    /** Per accumulating layer, in model order: bit statistics of its weights and input activations. */
    List<LayerBits> layerBits(Block block);
}
